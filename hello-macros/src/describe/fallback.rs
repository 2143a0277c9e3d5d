//! What the derive emits beside its errors (as thiserror does): a minimal impl of the trait, so that the error
//! appears once, on the type at fault, and not again on every message that uses it.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, GenericParam, parse_quote};

pub fn expand(input: &DeriveInput, krate: &TokenStream) -> TokenStream {
    let ident = &input.ident;
    // Both traits need `Self: 'static`; a generic type (itself a mistake) gets it from its parameters.
    let mut generics = input.generics.clone();
    for param in &mut generics.params {
        match param {
            GenericParam::Type(ty) => ty.bounds.push(parse_quote!('static)),
            GenericParam::Lifetime(lifetime) => lifetime.bounds.push(parse_quote!('static)),
            GenericParam::Const(_) => {}
        }
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    if is_oneof(&input.data) {
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::DescribeOneof for #ident #ty_generics #where_clause {
                fn fields() -> ::std::vec::Vec<#krate::__private::FieldDescriptorProto> {
                    ::core::unreachable!()
                }

                fn register_dependencies(_: &mut #krate::Registry) {}
            }
        }
    } else {
        let name = ident.to_string();
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::Describe for #ident #ty_generics #where_clause {
                const PACKAGE: &'static str = "";
                const NAME: &'static str = #name;

                fn descriptor() -> #krate::TypeDescriptor {
                    ::core::unreachable!()
                }

                fn register_dependencies(_: &mut #krate::Registry) {}
            }
        }
    }
}

/// An enum with a value in any variant derives `prost::Oneof`; other types describe themselves.
pub fn is_oneof(data: &Data) -> bool {
    matches!(data, Data::Enum(data) if data.variants.iter().any(|v| !matches!(v.fields, Fields::Unit)))
}
