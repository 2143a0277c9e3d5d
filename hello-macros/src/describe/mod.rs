//! `#[derive(Describe)]`: a prost message, enumeration or oneof describes its own protobuf schema.
//!
//! Pipeline: read `#[describe(...)]` and `#[prost(...)]` (attrs, prost_attrs), check, then emit calls to the
//! runtime's builders (message, enumeration, oneof). Every mistake is reported at once, spanned, beside a minimal
//! impl (fallback) so that it is reported once; the derive never panics.

mod attrs;
pub(crate) mod docs;
mod enumeration;
mod fallback;
mod message;
mod oneof;
mod prost_attrs;
mod rust_types;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput};

use crate::errors::Errors;
use prost_attrs::{Kind, MapValue, Scalar};

pub fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let mut errors = Errors::default();
    let attrs = attrs::TypeAttrs::parse(&input.attrs, &mut errors);
    if !input.generics.params.is_empty() {
        errors.spanned(
            &input.generics,
            "generic types are not supported yet by Describe",
        );
    }
    let krate = match &attrs.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::hello),
    };
    let tokens = match &input.data {
        Data::Struct(data) => message::expand(&input, data, &attrs, &krate, &mut errors),
        Data::Enum(data) if fallback::is_oneof(&input.data) => {
            oneof::expand(&input, data, &attrs, &krate, &mut errors)
        }
        Data::Enum(data) => enumeration::expand(&input, data, &attrs, &krate, &mut errors),
        Data::Union(data) => {
            errors.spanned(
                data.union_token,
                "Describe derives for prost messages (structs), enumerations and oneofs (enums), not unions",
            );
            TokenStream::new()
        }
    };
    // On a mistake, the errors and a minimal impl: a half-made one would add confusing follow-on errors, and none
    // at all would repeat the error on every message that uses this type.
    if errors.len() > 0 {
        let mut tokens = errors.into_compile_errors();
        tokens.extend(fallback::expand(&input, &krate));
        tokens
    } else {
        tokens
    }
}

/// The runtime's `FieldType` for a scalar.
fn scalar_type(krate: &TokenStream, scalar: Scalar) -> TokenStream {
    let variant = syn::Ident::new(scalar.variant(), proc_macro2::Span::call_site());
    quote!(#krate::__private::FieldType::#variant)
}

/// `FieldType::Message(<T as Describe>::full_name())`, spanned on `T` so a missing derive points there.
fn message_type(krate: &TokenStream, ty: &impl ToTokens) -> TokenStream {
    let span = ty.to_token_stream().span();
    quote_spanned!(span=> #krate::__private::FieldType::Message(<#ty as #krate::Describe>::full_name()))
}

fn enum_type(krate: &TokenStream, path: &syn::Path) -> TokenStream {
    let span = path.span();
    quote_spanned!(span=> #krate::__private::FieldType::Enum(<#path as #krate::Describe>::full_name()))
}

/// `registry.add::<T>();`, written through the trait so that a missing derive is one error, not two.
fn register(krate: &TokenStream, ty: &impl ToTokens) -> TokenStream {
    let span = ty.to_token_stream().span();
    quote_spanned!(span=> <#ty as #krate::Describe>::add_to(registry);)
}

/// The field type and the registrations for a value that is a scalar, an enum or a message `message`.
fn value_type(
    krate: &TokenStream,
    kind: &Kind,
    message: Option<&syn::Type>,
    deps: &mut Vec<TokenStream>,
) -> TokenStream {
    match (kind, message) {
        (Kind::Scalar(scalar), _)
        | (
            Kind::Map {
                value: MapValue::Scalar(scalar),
                ..
            },
            _,
        ) => scalar_type(krate, *scalar),
        (Kind::Enumeration(path), _)
        | (
            Kind::Map {
                value: MapValue::Enumeration(path),
                ..
            },
            _,
        ) => {
            deps.push(register(krate, path));
            enum_type(krate, path)
        }
        (_, Some(ty)) => {
            deps.push(register(krate, ty));
            message_type(krate, ty)
        }
        // Callers pass the message type for message kinds; a oneof is laid out by the message.
        (_, None) => quote!(::core::compile_error!("Describe: no message type")),
    }
}

/// `impl Describe for T` with the given constants, descriptor body and registrations.
fn impl_describe(
    input: &DeriveInput,
    krate: &TokenStream,
    package: TokenStream,
    name: TokenStream,
    body: TokenStream,
    deps: Vec<TokenStream>,
    docs: TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    quote! {
        #[automatically_derived]
        impl #krate::Describe for #ident {
            const PACKAGE: &'static str = #package;
            const NAME: &'static str = #name;

            fn descriptor() -> #krate::TypeDescriptor {
                #body
            }

            fn register_dependencies(registry: &mut #krate::Registry) {
                let _ = &registry;
                #(#deps)*
            }

            #docs
        }
    }
}

/// `fn docs()` giving the type's comment and its members' (`(proto name, comment)`), plus `extra` (an expression
/// giving more members, a oneof's); nothing when there is no comment at all.
fn docs_fn(
    krate: &TokenStream,
    comment: &str,
    members: &[(String, String)],
    extra: &[TokenStream],
) -> TokenStream {
    let members: Vec<_> = members.iter().filter(|(_, doc)| !doc.is_empty()).collect();
    if comment.is_empty() && members.is_empty() && extra.is_empty() {
        return TokenStream::new();
    }
    let (names, texts): (Vec<_>, Vec<_>) = members.into_iter().map(|(n, d)| (n, d)).unzip();
    quote! {
        fn docs() -> #krate::Docs {
            #[allow(unused_mut)]
            let mut members: ::std::vec::Vec<(::std::string::String, ::std::string::String)> =
                ::std::vec![#((::std::string::String::from(#names), ::std::string::String::from(#texts))),*];
            #(members.extend(#extra);)*
            #krate::Docs {
                comment: ::std::string::String::from(#comment),
                members,
            }
        }
    }
}
