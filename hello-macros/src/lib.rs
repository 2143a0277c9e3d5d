use proc_macro::TokenStream;
#[proc_macro_attribute]
pub fn service(_a: TokenStream, i: TokenStream) -> TokenStream { i }
