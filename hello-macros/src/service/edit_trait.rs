//! The trait as emitted: each `async fn` becomes a method returning `impl Future + Send`, so the server
//! can hand the method's own future to tonic without boxing, and users still implement it with `async fn`.

use crate::args::RPC_ATTRIBUTE;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{
    GenericArgument, ItemTrait, PathArguments, ReturnType, TraitItem, TraitItemFn, Type,
    TypeImplTrait, TypeParamBound, parse_quote,
};

pub fn generate(item: &ItemTrait) -> TokenStream {
    let mut item = item.clone();
    item.supertraits.push(parse_quote!(::core::marker::Send));
    item.supertraits.push(parse_quote!(::core::marker::Sync));
    item.supertraits.push(parse_quote!('static));
    for trait_item in &mut item.items {
        match trait_item {
            TraitItem::Fn(function) => {
                function.attrs.retain(|a| !a.path().is_ident(RPC_ATTRIBUTE));
                into_future_returning(function);
            }
            // A stream type outlives the call that made it and crosses threads.
            TraitItem::Type(stream) => {
                if !stream.bounds.iter().any(|b| is_bound(b, "Send")) {
                    stream.bounds.push(parse_quote!(::core::marker::Send));
                }
                stream.bounds.push(parse_quote!('static));
            }
            _ => {}
        }
    }
    item.into_token_stream()
}

fn into_future_returning(function: &mut TraitItemFn) {
    let sig = &mut function.sig;
    if sig.asyncness.take().is_some() {
        let mut output = match &sig.output {
            ReturnType::Type(_, ty) => (**ty).clone(),
            ReturnType::Default => parse_quote!(()),
        };
        StreamBounds.visit_type_mut(&mut output);
        sig.output = parse_quote! {
            -> impl ::core::future::Future<Output = #output> + ::core::marker::Send
        };
        if let Some(body) = &mut function.default {
            *body = parse_quote!({ async move #body });
        }
    } else if let ReturnType::Type(_, ty) = &mut sig.output
        && let Type::ImplTrait(future) = &mut **ty
        && let Some(output) = future_output_mut(future)
    {
        // Written as `-> impl Future<Output = ..>`: keep the user's tokens, add what the server needs.
        StreamBounds.visit_type_mut(output);
        if !future.bounds.iter().any(|b| is_bound(b, "Send")) {
            future.bounds.push(parse_quote!(::core::marker::Send));
        }
    }
}

fn future_output_mut(future: &mut TypeImplTrait) -> Option<&mut Type> {
    future.bounds.iter_mut().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let segment = bound.path.segments.last_mut()?;
        if segment.ident != "Future" {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &mut segment.arguments else {
            return None;
        };
        args.args.iter_mut().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == "Output" => Some(&mut assoc.ty),
            _ => None,
        })
    })
}

fn is_bound(bound: &TypeParamBound, name: &str) -> bool {
    matches!(bound, TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| s.ident == name))
}

/// A streamed response must be `Send` and must not borrow `&self`: it outlives the call that made it.
struct StreamBounds;

impl VisitMut for StreamBounds {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut TypeImplTrait) {
        let captures = ty
            .bounds
            .iter()
            .any(|bound| matches!(bound, TypeParamBound::PreciseCapture(_)));
        if !ty.bounds.iter().any(|b| is_bound(b, "Send")) {
            ty.bounds.push(parse_quote!(::core::marker::Send));
        }
        if !captures {
            ty.bounds.push(TypeParamBound::Verbatim(quote!(use<Self>)));
        }
    }
}
