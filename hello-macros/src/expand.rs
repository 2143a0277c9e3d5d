//! The service macro as a pure function of `proc_macro2` token streams: parse, build the model, check, generate.
//!
//! `lib.rs` calls it; so does the fuzz target in fuzz/ (which includes this crate's modules with `#[path]`, since a
//! proc-macro crate exports nothing else), to check that any tokens give code or a compile error, never a panic.

use crate::{args, errors, generate};
use proc_macro2::TokenStream;

/// `#[service(args)] item`, expanded.
pub fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = errors::Errors::default();
    let args = args::ServiceArgs::parse(args, &mut errors);
    let item = match syn::parse2::<syn::ItemTrait>(item) {
        Ok(item) => item,
        Err(error) => return error.into_compile_error(),
    };
    let service = crate::service::parse::service(args, &item, &mut errors);
    let mut tokens = generate::generate(&item, &service);
    tokens.extend(errors.into_compile_errors());
    tokens
}

#[cfg(test)]
mod tests {
    use quote::quote;

    /// Found by the service_macro fuzz target: a raw trait name made an invalid module identifier and a panic.
    #[test]
    fn a_raw_trait_name_expands_without_panicking() {
        let tokens = super::service(
            quote!(package = "x"),
            quote!(
                pub trait r#Foo {}
            ),
        )
        .to_string();
        assert!(tokens.contains("foo_server"), "{tokens}");
        assert!(tokens.contains("\"x.Foo\""), "{tokens}");
    }
}
