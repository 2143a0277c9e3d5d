//! Collects every mistake found in a trait so the user sees them all at once, not one per build.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

#[derive(Default)]
pub struct Errors {
    first: Option<syn::Error>,
    count: usize,
}

impl Errors {
    /// Records a mistake spanned on `tokens`.
    pub fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn push(&mut self, error: syn::Error) {
        self.count += 1;
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    /// How many mistakes were recorded so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// `compile_error!` invocations for every recorded mistake.
    pub fn into_compile_errors(self) -> TokenStream {
        self.first
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}
