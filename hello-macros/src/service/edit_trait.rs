//! The trait as emitted, edited from the user's (as async-trait edits its trait): each `async fn` becomes a method
//! returning `impl Future + Send`, so the server can hand the method's own future to tonic without boxing, and users
//! still implement it with `async fn`. Streamed responses gain `Send + use<Self>` (see `bounds`). Added tokens carry
//! the spans of the user's code, so rustc's errors about them point there.

use super::bounds::{add_send, bound_streams, edge_spans, future_output_mut, is_bound};
use crate::args::RPC_ATTRIBUTE;
use crate::errors::Errors;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::{ItemTrait, ReturnType, TraitItem, TraitItemFn, Type, parse_quote_spanned};

pub fn edit_trait(item: &ItemTrait, errors: &mut Errors) -> TokenStream {
    let mut item = item.clone();
    let span = item.ident.span();
    item.supertraits
        .push(parse_quote_spanned!(span=> ::core::marker::Send));
    item.supertraits
        .push(parse_quote_spanned!(span=> ::core::marker::Sync));
    item.supertraits.push(parse_quote_spanned!(span=> 'static));
    for trait_item in &mut item.items {
        match trait_item {
            TraitItem::Fn(function) => {
                function.attrs.retain(|a| !a.path().is_ident(RPC_ATTRIBUTE));
                into_future_returning(function, errors);
            }
            // A stream type outlives the call that made it and crosses threads.
            TraitItem::Type(stream) => {
                let span = stream.ident.span();
                if !stream.bounds.iter().any(|b| is_bound(b, "Send")) {
                    stream
                        .bounds
                        .push(parse_quote_spanned!(span=> ::core::marker::Send));
                }
                stream.bounds.push(parse_quote_spanned!(span=> 'static));
            }
            _ => {}
        }
    }
    item.into_token_stream()
}

fn into_future_returning(function: &mut TraitItemFn, errors: &mut Errors) {
    let sig = &mut function.sig;
    let captures = quote!(Self);
    if sig.asyncness.take().is_some() {
        let (first, last) = match &sig.output {
            ReturnType::Type(_, ty) => edge_spans(ty),
            ReturnType::Default => (sig.ident.span(), sig.ident.span()),
        };
        let mut output: Type = match &sig.output {
            ReturnType::Type(_, ty) => (**ty).clone(),
            ReturnType::Default => parse_quote_spanned!(last=> ()),
        };
        bound_streams(&mut output, &captures, errors);
        let open = quote_spanned!(first=> impl ::core::future::Future<Output =);
        let close = quote_spanned!(last=> > + ::core::marker::Send);
        sig.output = parse_quote_spanned!(first=> -> #open #output #close);
        if let Some(body) = &mut function.default {
            let span = body.brace_token.span.join();
            *body = parse_quote_spanned!(span=> { async move #body });
        }
    } else if let ReturnType::Type(_, ty) = &mut sig.output
        && let Type::ImplTrait(future) = &mut **ty
        && let Some(output) = future_output_mut(future)
    {
        // Written as `-> impl Future<Output = ..>`: keep the user's tokens, add what the server needs.
        bound_streams(output, &captures, errors);
        add_send(future);
    }
}
