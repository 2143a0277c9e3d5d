//! A struct deriving `prost::Message`: one builder call per field, in declaration order.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DataStruct, DeriveInput, Fields};

use super::attrs::{Reserved, TypeAttrs, item_name};
use super::docs::doc_text;
use super::prost_attrs::{self, Kind, Label, MapValue};
use super::{docs_fn, impl_describe, rust_types, scalar_type, value_type};
use crate::errors::Errors;
use crate::naming::proto_field_name;

pub fn expand(
    input: &DeriveInput,
    data: &DataStruct,
    attrs: &TypeAttrs,
    krate: &TokenStream,
    errors: &mut Errors,
) -> TokenStream {
    if let Some(prefix) = &attrs.value_prefix {
        errors.spanned(
            prefix,
            "`value_prefix` applies to enumerations, not messages",
        );
    }
    let fields = match &data.fields {
        Fields::Named(fields) => fields.named.iter().collect(),
        Fields::Unit => Vec::new(),
        Fields::Unnamed(fields) => {
            errors.spanned(
                fields,
                "tuple structs are not supported yet by Describe: fields need names",
            );
            Vec::new()
        }
    };
    let mut calls = Vec::new();
    let mut deps = Vec::new();
    let mut member_docs = Vec::new();
    let mut oneof_docs = Vec::new();
    // prost numbers an untagged field one past the highest tag before it.
    let mut next_tag = 1u32;
    for field in fields {
        let Some(ident) = &field.ident else { continue };
        let name =
            item_name(&field.attrs, errors).map_or_else(|| proto_field_name(ident), |l| l.value());
        let Some(prost) = prost_attrs::parse(&field.attrs, field.span(), errors) else {
            continue;
        };
        let tag = prost.tag.unwrap_or(next_tag);
        next_tag = match &prost.kind {
            Kind::Oneof(_) => prost.tags.iter().max().map_or(next_tag, |t| t + 1),
            _ => tag + 1,
        };
        let numbers = match &prost.kind {
            Kind::Oneof(_) => prost.tags.clone(),
            _ => vec![tag],
        };
        check_reserved(
            &attrs.reserved,
            field,
            &name,
            &numbers,
            !matches!(prost.kind, Kind::Oneof(_)),
            errors,
        );
        member_docs.push((name.clone(), doc_text(&field.attrs)));
        match &prost.kind {
            Kind::Scalar(scalar) => {
                let ty = scalar_type(krate, *scalar);
                let cardinality = cardinality(krate, prost.label, prost.packed, scalar.numeric());
                calls.push(quote!(message.field(#name, #tag, #ty, #cardinality);));
            }
            Kind::Enumeration(_) => {
                let ty = value_type(krate, &prost.kind, None, &mut deps);
                let cardinality = cardinality(krate, prost.label, prost.packed, true);
                calls.push(quote!(message.field(#name, #tag, #ty, #cardinality);));
            }
            Kind::Message => {
                let repeated = prost.label == Some(Label::Repeated);
                let message = rust_types::message_type_of(&field.ty, repeated);
                if !rust_types::is_named(message) {
                    errors.spanned(
                        &field.ty,
                        "Describe cannot find the message type in this field's type",
                    );
                    continue;
                }
                let ty = value_type(krate, &prost.kind, Some(message), &mut deps);
                // A singular message field has presence already: prost's `optional` is its usual label.
                let label = prost.label.filter(|l| *l == Label::Repeated);
                let cardinality = cardinality(krate, label, None, false);
                calls.push(quote!(message.field(#name, #tag, #ty, #cardinality);));
            }
            Kind::Map { key, value } => {
                if prost.label.is_some() {
                    errors.spanned(
                        &field.ty,
                        "a map field takes no `optional` or `repeated` label",
                    );
                    continue;
                }
                let message = match value {
                    MapValue::Message => match rust_types::map_value_type(&field.ty) {
                        Some(ty) if rust_types::is_named(ty) => Some(ty),
                        _ => {
                            errors.spanned(
                                &field.ty,
                                "Describe cannot find the map's message value type here",
                            );
                            continue;
                        }
                    },
                    _ => None,
                };
                let key = scalar_type(krate, *key);
                let value = value_type(krate, &prost.kind, message, &mut deps);
                calls.push(quote!(message.map(#name, #tag, #key, #value);));
            }
            Kind::Oneof(path) => {
                if prost.label.is_some() {
                    errors.spanned(&field.ty, "a oneof field takes no label");
                    continue;
                }
                let path_span = path.span();
                calls.push(quote_spanned!(path_span=>
                    message.oneof(#name, <#path as #krate::DescribeOneof>::fields());
                ));
                deps.push(quote_spanned!(path_span=>
                    <#path as #krate::DescribeOneof>::register_dependencies(registry);
                ));
                oneof_docs
                    .push(quote_spanned!(path_span=> <#path as #krate::DescribeOneof>::docs()));
            }
        }
    }
    let ident_name = input.ident.to_string();
    // Without a package here, prost::Name gives both; the helper trait words the error if it is missing.
    let span = input.ident.span();
    let from_prost = |item| quote_spanned!(span=> <Self as #krate::__private::ProstName>::#item);
    let (package, name) = match (&attrs.package, &attrs.name) {
        (Some(package), Some(name)) => (quote!(#package), quote!(#name)),
        (Some(package), None) => (quote!(#package), quote!(#ident_name)),
        (None, Some(name)) => (from_prost(quote!(PACKAGE)), quote!(#name)),
        (None, None) => (from_prost(quote!(PACKAGE)), from_prost(quote!(NAME))),
    };
    let reserved = reserved_calls(&attrs.reserved, quote!(message), |n| {
        let n = n as u32;
        quote!(#n)
    });
    let body = quote! {
        let mut message = #krate::__private::MessageBuilder::new(
            <Self as #krate::Describe>::PACKAGE,
            <Self as #krate::Describe>::NAME,
        );
        #(#calls)*
        #(#reserved)*
        message.finish()
    };
    let docs = docs_fn(krate, &doc_text(&input.attrs), &member_docs, &oneof_docs);
    impl_describe(input, krate, package, name, body, deps, docs)
}

/// A field (or a oneof's numbers) may not take a reserved number or name: an error on the field.
fn check_reserved(
    reserved: &[Reserved],
    field: &syn::Field,
    name: &str,
    numbers: &[u32],
    check_name: bool,
    errors: &mut Errors,
) {
    for number in numbers {
        if reserved.iter().any(|r| r.holds_number(i64::from(*number))) {
            errors.spanned(field, format!("field number {number} is reserved: pick another number, or lift the reservation in #[describe(reserved(...))]"));
        }
    }
    if check_name && reserved.iter().any(|r| r.holds_name(name)) {
        errors.spanned(field, format!("the field name \"{name}\" is reserved: pick another name, or lift the reservation in #[describe(reserved(...))]"));
    }
}

/// `builder.reserved_range(a, b);` and `builder.reserved_name("n");` for each entry.
pub(super) fn reserved_calls(
    reserved: &[Reserved],
    builder: TokenStream,
    number: impl Fn(i64) -> TokenStream,
) -> Vec<TokenStream> {
    reserved
        .iter()
        .map(|entry| match entry {
            Reserved::Numbers { start, end, .. } => {
                let (start, end) = (number(*start), number(*end));
                quote!(#builder.reserved_range(#start, #end);)
            }
            Reserved::Name(name) => quote!(#builder.reserved_name(#name);),
        })
        .collect()
}

/// The runtime's `Cardinality` for a label; repeated numeric fields pack unless `packed = false`.
fn cardinality(
    krate: &TokenStream,
    label: Option<Label>,
    packed: Option<bool>,
    numeric: bool,
) -> TokenStream {
    match label {
        None => quote!(#krate::__private::Cardinality::Singular),
        Some(Label::Optional) => quote!(#krate::__private::Cardinality::Optional),
        Some(Label::Repeated) => {
            let packed = packed.unwrap_or(numeric);
            quote!(#krate::__private::Cardinality::Repeated { packed: #packed })
        }
    }
}
