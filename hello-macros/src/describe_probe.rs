//! For the service macro: the tokens of a method's `input_descriptor` / `output_descriptor` in its
//! `MethodInfo`, which are `Some` when the message derives `Describe` and `None` otherwise, so a service
//! compiles whether or not its messages describe themselves.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// An expression of type `Option<#krate::MessageRef>` for the message type `ty`, usable in a `const`.
///
/// `krate` is the path of the runtime crate (`::hello`). The inherent `Probe::<T>::MESSAGE` exists
/// only when `T: Describe`; otherwise the `NotDescribed` trait's constant, `None`, is found instead.
pub fn message_descriptor(krate: &impl ToTokens, ty: &syn::Type) -> TokenStream {
    quote! {
        {
            #[allow(unused_imports)]
            use #krate::__private::NotDescribed as _;
            #krate::__private::Probe::<#ty>::MESSAGE
        }
    }
}
