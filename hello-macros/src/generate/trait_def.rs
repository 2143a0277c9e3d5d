//! The trait as emitted: each `async fn` becomes a method returning `impl Future + Send`, so the server
//! can hand the method's own future to tonic without boxing, and users still implement it with `async fn`.

use crate::args::RPC_ATTRIBUTE;
use crate::service::signature::future_output;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{
    ItemTrait, ReturnType, TraitItem, TraitItemFn, TypeImplTrait, TypeParamBound, parse_quote,
};

pub fn generate(item: &ItemTrait) -> TokenStream {
    let mut item = item.clone();
    item.supertraits.push(parse_quote!(::core::marker::Send));
    item.supertraits.push(parse_quote!(::core::marker::Sync));
    item.supertraits.push(parse_quote!('static));
    for trait_item in &mut item.items {
        if let TraitItem::Fn(function) = trait_item {
            function.attrs.retain(|a| !a.path().is_ident(RPC_ATTRIBUTE));
            into_future_returning(function);
        }
    }
    item.into_token_stream()
}

fn into_future_returning(function: &mut TraitItemFn) {
    let sig = &mut function.sig;
    let output = if sig.asyncness.take().is_some() {
        match &sig.output {
            ReturnType::Type(_, ty) => (**ty).clone(),
            ReturnType::Default => parse_quote!(()),
        }
    } else if let Some(output) = future_output(&sig.output) {
        output.clone()
    } else {
        return; // not a method the macro understood; its error is reported elsewhere
    };
    let mut output = output;
    StreamBounds.visit_type_mut(&mut output);
    sig.output = parse_quote! {
        -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
    };
    if let Some(body) = &mut function.default {
        *body = parse_quote!({ async move #body });
    }
}

/// A streamed response must be `Send` and must not borrow `&self`: it outlives the call that made it.
struct StreamBounds;

impl VisitMut for StreamBounds {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut TypeImplTrait) {
        let captures = ty
            .bounds
            .iter()
            .any(|bound| matches!(bound, TypeParamBound::PreciseCapture(_)));
        ty.bounds.push(parse_quote!(::core::marker::Send));
        if !captures {
            ty.bounds.push(TypeParamBound::Verbatim(quote!(use<Self>)));
        }
    }
}
