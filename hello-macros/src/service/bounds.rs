//! The bounds a method's future and streamed responses need, added the same way in the trait and in an impl, so
//! that an impl can copy the trait's signatures.
//!
//! A streamed response crosses threads (`Send`) and outlives the call that made it, so it must not capture the
//! lifetimes of `&self` or the request: in the trait it captures `use<Self>`; in an impl, where `Self` cannot be
//! named, `use<T, N>` (the impl's type and const parameters). Without these, rustc's 2024 rules would capture
//! every lifetime in scope, which the server cannot hold past the call.
//!
//! Each added token carries the span of the user's code it follows, so rustc's errors point there.

use crate::errors::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::visit_mut::VisitMut;
use syn::{
    CapturedParam, GenericArgument, PathArguments, Type, TypeImplTrait, TypeParamBound,
    parse_quote_spanned,
};

/// What a stream returned in the response may capture: the parameters inside `use<..>`.
pub type Captures = TokenStream;

/// Adds `Send` and `use<captures>` to every `impl Trait` of `response` (the type an RPC's future outputs), unless
/// written; a borrowed lifetime is reported and removed, since the server cannot keep it.
pub fn bound_streams(response: &mut Type, captures: &Captures, errors: &mut Errors) {
    StreamBounds { captures, errors }.visit_type_mut(response);
}

/// Adds `+ Send` to a future the user wrote as `impl Future<..>`, unless written.
pub fn add_send(future: &mut TypeImplTrait) {
    if !future.bounds.iter().any(|b| is_bound(b, "Send")) {
        let span = last_span(future);
        future
            .bounds
            .push(parse_quote_spanned!(span=> ::core::marker::Send));
    }
}

/// `Output` of an `impl Future<Output = ..>`, for methods written without `async`.
pub fn future_output_mut(future: &mut TypeImplTrait) -> Option<&mut Type> {
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

/// Whether `bound` is the trait `name` (by its last path segment, as the user may write `std::marker::Send`).
pub fn is_bound(bound: &TypeParamBound, name: &str) -> bool {
    matches!(bound, TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| s.ident == name))
}

/// The spans of the first and the last token of `tokens`: added tokens take them, so that the node they make
/// spans the user's code (and not the attribute).
pub fn edge_spans(tokens: &impl ToTokens) -> (Span, Span) {
    let mut tokens = tokens.to_token_stream().into_iter();
    let first = tokens.next().map_or_else(Span::call_site, |t| t.span());
    let last = tokens.last().map_or(first, |t| t.span());
    (first, last)
}

fn last_span(tokens: &impl ToTokens) -> Span {
    edge_spans(tokens).1
}

const BORROWED: &str = "a streamed response outlives the call that made it, so it cannot borrow `&self` or the \
     request: remove this lifetime, and move into the stream what it needs (clone it out of `self` first)";

struct StreamBounds<'a> {
    captures: &'a Captures,
    errors: &'a mut Errors,
}

impl VisitMut for StreamBounds<'_> {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut TypeImplTrait) {
        let span = last_span(ty);
        let bounds = std::mem::take(&mut ty.bounds);
        for bound in bounds {
            if let Some(lifetime) = borrowed_lifetime(&bound) {
                self.errors.spanned(lifetime, BORROWED);
            } else {
                ty.bounds.push(bound);
            }
        }
        if !ty.bounds.iter().any(|b| is_bound(b, "Send")) {
            ty.bounds
                .push(parse_quote_spanned!(span=> ::core::marker::Send));
        }
        let captures = ty
            .bounds
            .iter()
            .any(|bound| matches!(bound, TypeParamBound::PreciseCapture(_)));
        if !captures {
            let captured = self.captures;
            ty.bounds.push(TypeParamBound::Verbatim(
                quote_spanned!(span=> use<#captured>),
            ));
        }
    }
}

/// The lifetime a bound borrows: `+ '_`, `+ 'a`, or one listed in `use<..>` (`'static` borrows nothing).
fn borrowed_lifetime(bound: &TypeParamBound) -> Option<TokenStream> {
    match bound {
        TypeParamBound::Lifetime(lifetime) if lifetime.ident != "static" => {
            Some(lifetime.to_token_stream())
        }
        TypeParamBound::PreciseCapture(capture) => {
            capture.params.iter().find_map(|param| match param {
                CapturedParam::Lifetime(lifetime) => Some(lifetime.to_token_stream()),
                _ => None,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;
    use syn::parse_quote;

    fn bounded(mut ty: Type, captures: Captures) -> (String, usize) {
        let mut errors = Errors::default();
        bound_streams(&mut ty, &captures, &mut errors);
        (ty.to_token_stream().to_string(), errors.len())
    }

    #[test]
    fn adds_send_and_captures_unless_written() {
        let (ty, errors) = bounded(
            parse_quote!(Result<Response<impl Stream<Item = M>>, Status>),
            quote!(Self),
        );
        assert_eq!(errors, 0);
        assert!(
            ty.contains("impl Stream < Item = M > + :: core :: marker :: Send + use < Self >"),
            "{ty}"
        );
        let (ty, _) = bounded(
            parse_quote!(Response<impl Stream<Item = M> + std::marker::Send + use<T>>),
            quote!(),
        );
        assert_eq!(
            ty,
            "Response < impl Stream < Item = M > + std :: marker :: Send + use < T > >"
        );
    }

    #[test]
    fn reports_a_borrowed_lifetime() {
        let (ty, errors) = bounded(parse_quote!(Response<impl Stream<Item = M> + '_>), quote!());
        assert_eq!(errors, 1);
        assert!(!ty.contains("'_"), "{ty}");
        let (_, errors) = bounded(
            parse_quote!(Response<impl Stream<Item = M> + use<'a, T>>),
            quote!(T),
        );
        assert_eq!(errors, 1);
        let (_, errors) = bounded(
            parse_quote!(Response<impl Stream<Item = M> + 'static>),
            quote!(),
        );
        assert_eq!(errors, 0);
    }
}
