//! `#[service]` on `impl Trait for Type`: lets each method copy the trait's signature verbatim.
//!
//! The trait as emitted bounds each streamed response `Send + use<Self>` (see `bounds`); an impl whose signatures
//! lack them captures `&self`'s lifetime, which rustc refuses ("return type captures more lifetimes than trait
//! definition"). This adds the same bounds to the impl's signatures, with the impl's own parameters for `Self`.

use super::bounds::{add_send, bound_streams, future_output_mut};
use crate::args::RPC_ATTRIBUTE;
use crate::errors::Errors;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{GenericParam, ImplItem, ImplItemFn, ItemImpl, ReturnType, Type};

pub fn edit_impl(args: TokenStream, mut item: ItemImpl, errors: &mut Errors) -> TokenStream {
    if !args.is_empty() {
        errors.spanned(
            args,
            "`#[service]` on an impl takes no arguments: remove them (the trait's `#[service(...)]` names the \
             service)",
        );
    }
    // `use<..>` in an impl must list every type and const parameter in scope, and cannot name `Self`.
    let params = item.generics.params.iter().filter_map(|param| match param {
        GenericParam::Type(ty) => Some(&ty.ident),
        GenericParam::Const(constant) => Some(&constant.ident),
        GenericParam::Lifetime(_) => None,
    });
    let captures = quote!(#(#params),*);
    for impl_item in &mut item.items {
        if let ImplItem::Fn(function) = impl_item {
            // Copied with the trait's signature, it means nothing here: the trait's one names the method.
            function.attrs.retain(|a| !a.path().is_ident(RPC_ATTRIBUTE));
            bound_responses(function, &captures, errors);
        }
    }
    item.into_token_stream()
}

fn bound_responses(function: &mut ImplItemFn, captures: &TokenStream, errors: &mut Errors) {
    let sig = &mut function.sig;
    let ReturnType::Type(_, ty) = &mut sig.output else {
        return;
    };
    if sig.asyncness.is_some() {
        bound_streams(ty, captures, errors);
    } else if let Type::ImplTrait(future) = &mut **ty
        && let Some(output) = future_output_mut(future)
    {
        // The future itself may borrow `&self`, as the trait's does: only its output is bounded.
        bound_streams(output, captures, errors);
        add_send(future);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn edited(args: TokenStream, item: ItemImpl) -> (String, usize) {
        let mut errors = Errors::default();
        let tokens = edit_impl(args, item, &mut errors).to_string();
        (tokens, errors.len())
    }

    #[test]
    fn bounds_streams_with_the_impl_parameters() {
        let (tokens, errors) = edited(
            TokenStream::new(),
            parse_quote! {
                impl<'a, T: Send, const N: usize> Greeter for Polite<'a, T, N> {
                    #[rpc(name = "List")]
                    async fn list(&self, r: Request<M>) -> Result<Response<impl Stream<Item = Result<M, Status>>>, Status> {
                        todo!()
                    }
                    fn count(&self, r: Request<M>) -> impl Future<Output = Result<Response<impl Stream<Item = Result<M, Status>> + use<T, N>>, Status>> {
                        async { todo!() }
                    }
                }
            },
        );
        assert_eq!(errors, 0);
        assert!(!tokens.contains("rpc"), "{tokens}");
        let once = "impl Stream < Item = Result < M , Status > > + :: core :: marker :: Send + use < T , N >";
        assert_eq!(tokens.matches(once).count(), 1, "{tokens}");
        let written = "impl Stream < Item = Result < M , Status > > + use < T , N > + :: core :: marker :: Send >";
        assert!(tokens.contains(written), "{tokens}");
        assert!(
            tokens.contains(", Status > > + :: core :: marker :: Send {"),
            "{tokens}"
        );
    }

    #[test]
    fn refuses_arguments() {
        let (_, errors) = edited(
            quote!(package = "x"),
            parse_quote!(impl Greeter for Polite {}),
        );
        assert_eq!(errors, 1);
    }
}
