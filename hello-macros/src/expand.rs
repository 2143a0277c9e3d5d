//! The service macro as a pure function of `proc_macro2` token streams.
//!
//! On a trait: parse (to the model, which carries the trait as emitted), check, generate. On an `impl` of the
//! trait: edit its signatures so that they may copy the trait's.
//!
//! `lib.rs` calls it; so does the fuzz target in fuzz/ (which includes this crate's modules with `#[path]`, since a
//! proc-macro crate exports nothing else), to check that any tokens give code or a compile error, never a panic.

use crate::service::{checks, edit_impl::edit_impl, parse};
use crate::{args, errors, generate};
use proc_macro2::TokenStream;
use quote::ToTokens;

/// `#[service(args)] item`, expanded.
pub fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = errors::Errors::default();
    let item = match syn::parse2::<syn::Item>(item) {
        Ok(item) => item,
        Err(error) => return error.into_compile_error(),
    };
    let mut tokens = match item {
        syn::Item::Trait(item) => {
            let args = args::ServiceArgs::parse(args, &mut errors);
            let mut service = parse::service(args, &item, &mut errors);
            checks::check(&mut service, &mut errors);
            generate::generate(&service)
        }
        syn::Item::Impl(item) if item.trait_.is_some() => edit_impl(args, item, &mut errors),
        other => {
            errors.spanned(
                &other,
                "`#[service]` goes on a trait, to serve it, or on an `impl` of that trait",
            );
            other.into_token_stream()
        }
    };
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

    /// The fuzz target's invariant on its seeds (fuzz/seeds/service_macro: the first line holds the arguments, the
    /// rest the item): Rust items out, never a panic.
    #[test]
    fn every_fuzz_seed_expands_to_items() {
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/seeds/service_macro");
        let mut count = 0;
        for seed in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(seed.unwrap().path()).unwrap();
            let (args, item) = text.split_once('\n').unwrap_or(("", &text));
            let tokens = super::service(args.parse().unwrap(), item.parse().unwrap());
            syn::parse2::<syn::File>(tokens).unwrap();
            count += 1;
        }
        assert!(count > 20, "only {count} seeds in {seeds}");
    }

    #[test]
    fn an_impl_is_edited_and_anything_else_refused() {
        let tokens = super::service(quote!(), quote!(impl Foo for Bar {})).to_string();
        assert!(!tokens.contains("compile_error"), "{tokens}");
        let tokens = super::service(quote!(), quote!(impl Bar {})).to_string();
        assert!(tokens.contains("compile_error"), "{tokens}");
        assert!(tokens.contains("impl Bar"), "{tokens}");
    }
}
