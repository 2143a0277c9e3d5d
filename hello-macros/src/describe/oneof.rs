//! An enum deriving `prost::Oneof`: one field per variant, which the holding message lays out as a oneof.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{DataEnum, DeriveInput};

use super::attrs::{TypeAttrs, item_name};
use super::docs::doc_text;
use super::prost_attrs::{self, Kind};
use super::{rust_types, value_type};
use crate::errors::Errors;
use crate::naming::oneof_field_name;

pub fn expand(
    input: &DeriveInput,
    data: &DataEnum,
    attrs: &TypeAttrs,
    krate: &TokenStream,
    errors: &mut Errors,
) -> TokenStream {
    for lit in [&attrs.package, &attrs.name, &attrs.value_prefix]
        .into_iter()
        .flatten()
    {
        errors.spanned(
            lit,
            "a oneof has no package, name or value prefix of its own: its message names it",
        );
    }
    if let Some(first) = attrs.reserved.first() {
        let span = match first {
            super::attrs::Reserved::Numbers { span, .. } => *span,
            super::attrs::Reserved::Name(name) => name.span(),
        };
        errors.push(syn::Error::new(
            span,
            "a oneof has no reserved numbers of its own: reserve them on its message",
        ));
    }
    let mut calls = Vec::new();
    let mut deps = Vec::new();
    let mut docs = Vec::new();
    for variant in &data.variants {
        let name = item_name(&variant.attrs, errors).map_or_else(
            || oneof_field_name(&variant.ident.to_string()),
            |l| l.value(),
        );
        let mut fields = variant.fields.iter();
        let (Some(field), None) = (fields.next(), fields.next()) else {
            errors.spanned(variant, "a oneof variant holds exactly one value");
            continue;
        };
        let Some(prost) = prost_attrs::parse(&variant.attrs, variant.span(), errors) else {
            continue;
        };
        let Some(tag) = prost.tag else {
            errors.spanned(&variant.ident, "a oneof variant needs its `tag`");
            continue;
        };
        if prost.label.is_some() {
            errors.spanned(
                &variant.ident,
                "a oneof variant takes no `optional` or `repeated` label",
            );
            continue;
        }
        let message = match &prost.kind {
            Kind::Scalar(_) | Kind::Enumeration(_) => None,
            Kind::Message => {
                let ty = rust_types::message_type(&field.ty);
                if !rust_types::is_named(ty) {
                    errors.spanned(
                        &field.ty,
                        "Describe cannot find the message type in this variant",
                    );
                    continue;
                }
                Some(ty)
            }
            Kind::Map { .. } | Kind::Oneof(_) => {
                errors.spanned(&variant.ident, "a oneof cannot hold a map or another oneof");
                continue;
            }
        };
        let ty = value_type(krate, &prost.kind, message, &mut deps);
        calls.push(quote!(oneof.field(#name, #tag, #ty);));
        let doc = doc_text(&variant.attrs);
        if !doc.is_empty() {
            docs.push(
                quote!((::std::string::String::from(#name), ::std::string::String::from(#doc))),
            );
        }
    }
    let ident = &input.ident;
    let docs_fn = (!docs.is_empty()).then(|| {
        quote! {
            fn docs() -> ::std::vec::Vec<(::std::string::String, ::std::string::String)> {
                ::std::vec![#(#docs),*]
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #krate::DescribeOneof for #ident {
            fn fields() -> ::std::vec::Vec<#krate::__private::FieldDescriptorProto> {
                let mut oneof = #krate::__private::OneofBuilder::new();
                #(#calls)*
                oneof.finish()
            }

            fn register_dependencies(registry: &mut #krate::Registry) {
                let _ = &registry;
                #(#deps)*
            }

            #docs_fn
        }
    }
}
