//! An enum deriving `prost::Enumeration`: one value per variant, named in SCREAMING_SNAKE_CASE.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DataEnum, DeriveInput, Expr, ExprLit, ExprUnary, Lit, UnOp};

use super::attrs::{TypeAttrs, item_name};
use super::docs::doc_text;
use super::message::reserved_calls;
use super::{docs_fn, impl_describe};
use crate::errors::Errors;
use crate::naming::enum_value_name;

pub fn expand(
    input: &DeriveInput,
    data: &DataEnum,
    attrs: &TypeAttrs,
    krate: &TokenStream,
    errors: &mut Errors,
) -> TokenStream {
    // prost::Name is for messages only, so an enum says its package itself.
    let Some(package) = &attrs.package else {
        errors.spanned(
            &input.ident,
            "an enumeration needs #[describe(package = \"...\")] (\"\" for none): prost::Name covers messages only",
        );
        return TokenStream::new();
    };
    let prefix = attrs
        .value_prefix
        .as_ref()
        .map(|l| l.value())
        .unwrap_or_default();
    let mut calls = Vec::new();
    let mut member_docs = Vec::new();
    for (index, variant) in data.variants.iter().enumerate() {
        let name = item_name(&variant.attrs, errors).map_or_else(
            || enum_value_name(&prefix, &variant.ident.to_string()),
            |l| l.value(),
        );
        let Some((_, discriminant)) = &variant.discriminant else {
            errors.spanned(
                &variant.ident,
                "an enumeration value needs its number, like `= 0`",
            );
            continue;
        };
        let Some(number) = number(discriminant) else {
            errors.spanned(discriminant, "expected an integer literal that fits in i32");
            continue;
        };
        if index == 0 && number != 0 {
            errors.spanned(discriminant, "a proto3 enum's first value must be 0");
        }
        if attrs
            .reserved
            .iter()
            .any(|r| r.holds_number(i64::from(number)))
        {
            errors.spanned(variant, format!("value number {number} is reserved: pick another number, or lift the reservation in #[describe(reserved(...))]"));
        }
        if attrs.reserved.iter().any(|r| r.holds_name(&name)) {
            errors.spanned(variant, format!("the value name \"{name}\" is reserved: pick another name, or lift the reservation in #[describe(reserved(...))]"));
        }
        member_docs.push((name.clone(), doc_text(&variant.attrs)));
        calls.push(quote!(enumeration.value(#name, #number);));
    }
    if data.variants.is_empty() {
        errors.spanned(
            &input.ident,
            "a proto3 enum needs at least one value, the first one 0",
        );
    }
    let rust_name = input.ident.to_string();
    let name = match &attrs.name {
        Some(name) => quote!(#name),
        None => quote!(#rust_name),
    };
    let reserved = reserved_calls(&attrs.reserved, quote!(enumeration), |n| {
        let n = n as i32;
        quote!(#n)
    });
    let body = quote! {
        let mut enumeration = #krate::__private::EnumBuilder::new(<Self as #krate::Describe>::NAME);
        #(#calls)*
        #(#reserved)*
        enumeration.finish()
    };
    let docs = docs_fn(krate, &doc_text(&input.attrs), &member_docs, &[]);
    impl_describe(input, krate, quote!(#package), name, body, Vec::new(), docs)
}

/// `3`, `-1`, `0x10`.
fn number(expr: &Expr) -> Option<i32> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int.base10_parse().ok(),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => number(expr)?.checked_neg(),
        Expr::Group(group) => number(&group.expr),
        Expr::Paren(paren) => number(&paren.expr),
        _ => None,
    }
}
