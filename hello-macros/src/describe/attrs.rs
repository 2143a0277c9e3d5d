//! `#[describe(...)]`: on the type (`package`, `name`, `value_prefix`, `crate`) and on a field or variant
//! (`name`).

use syn::parse::Parse;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr};

use crate::errors::Errors;
use crate::naming::{is_proto_ident, is_proto_package, is_proto_type_name};

/// The options on the type.
#[derive(Default)]
pub struct TypeAttrs {
    /// `package = "hello"`: the protobuf package (else `prost::Name::PACKAGE`).
    pub package: Option<LitStr>,
    /// `name = "Outer.Inner"`: the name inside the package (else the Rust name, or `prost::Name::NAME`).
    pub name: Option<LitStr>,
    /// `value_prefix = "CORPUS_"`: put before every enum value's name, as prost-build had removed it.
    pub value_prefix: Option<LitStr>,
    /// `crate = "::hello"`: where the generated code finds the runtime.
    pub krate: Option<syn::Path>,
    /// `reserved(3, 8..=10, "old_name")`: numbers and names no field or value may take again.
    pub reserved: Vec<Reserved>,
}

/// One entry of `reserved(...)`.
pub enum Reserved {
    /// A number, or an inclusive range `8..=10` (`8..11` too); `max` is not spelled out here.
    Numbers {
        start: i64,
        end: i64,
        span: proc_macro2::Span,
    },
    /// A name.
    Name(LitStr),
}

impl Reserved {
    /// Whether this entry reserves `number`.
    pub fn holds_number(&self, number: i64) -> bool {
        matches!(self, Self::Numbers { start, end, .. } if *start <= number && number <= *end)
    }

    /// Whether this entry reserves `name`.
    pub fn holds_name(&self, name: &str) -> bool {
        matches!(self, Self::Name(lit) if lit.value() == name)
    }
}

/// Parses the inside of `reserved(...)`: integers, `a..=b` or `a..b` ranges, string literals.
fn parse_reserved(
    meta: &syn::meta::ParseNestedMeta,
    out: &mut Vec<Reserved>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let content;
    syn::parenthesized!(content in meta.input);
    let items = content.parse_terminated(syn::Expr::parse, syn::Token![,])?;
    for item in items {
        match &item {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) => out.push(Reserved::Name(name.clone())),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(number),
                ..
            }) => {
                let number = number.base10_parse::<i64>()?;
                out.push(Reserved::Numbers {
                    start: number,
                    end: number,
                    span: item.span(),
                });
            }
            syn::Expr::Range(range) => {
                let bound = |e: &Option<Box<syn::Expr>>| match e.as_deref() {
                    Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(n),
                        ..
                    })) => n.base10_parse::<i64>().ok(),
                    _ => None,
                };
                match (bound(&range.start), bound(&range.end), &range.limits) {
                    (Some(start), Some(end), syn::RangeLimits::Closed(_)) if start <= end => out
                        .push(Reserved::Numbers {
                            start,
                            end,
                            span: item.span(),
                        }),
                    (Some(start), Some(end), syn::RangeLimits::HalfOpen(_)) if start < end => out
                        .push(Reserved::Numbers {
                            start,
                            end: end - 1,
                            span: item.span(),
                        }),
                    _ => errors.spanned(
                        &item,
                        "a reserved range is two integers, `8..=10`, the first not above the last",
                    ),
                }
            }
            _ => errors.spanned(
                &item,
                "`reserved` takes numbers (`3`), ranges (`8..=10`) and names (`\"old_name\"`)",
            ),
        }
    }
    Ok(())
}

impl TypeAttrs {
    pub fn parse(attrs: &[Attribute], errors: &mut Errors) -> Self {
        let mut out = Self::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("describe")) {
            let parsed = attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string);
                match key.as_deref() {
                    Some("package") => {
                        let lit: LitStr = meta.value()?.parse()?;
                        if !is_proto_package(&lit.value()) {
                            errors.spanned(&lit, "a package is identifiers joined by dots, like \"my.pkg\"");
                        }
                        set(&mut out.package, lit, "package", errors);
                    }
                    Some("name") => {
                        let lit: LitStr = meta.value()?.parse()?;
                        if !is_proto_type_name(&lit.value()) {
                            errors.spanned(&lit, "a name is an identifier, or `Outer.Inner` for a nested type");
                        }
                        set(&mut out.name, lit, "name", errors);
                    }
                    Some("value_prefix") => {
                        let lit: LitStr = meta.value()?.parse()?;
                        set(&mut out.value_prefix, lit, "value_prefix", errors);
                    }
                    Some("reserved") => parse_reserved(&meta, &mut out.reserved, errors)?,
                    Some("crate") => {
                        let lit: LitStr = meta.value()?.parse()?;
                        match lit.parse::<syn::Path>() {
                            Ok(path) => {
                                if out.krate.replace(path).is_some() {
                                    errors.spanned(&lit, "`crate` is given twice");
                                }
                            }
                            Err(_) => errors.spanned(&lit, "`crate` takes a path, like \"::hello\""),
                        }
                    }
                    _ => {
                        errors.spanned(
                            &meta.path,
                            "unknown describe option: expected `package`, `name`, `value_prefix`, `reserved` or `crate`",
                        );
                        skip_value(&meta)?;
                    }
                }
                Ok(())
            });
            if let Err(error) = parsed {
                errors.push(error);
            }
        }
        out
    }
}

/// The options on a field or variant: only `name`.
pub fn item_name(attrs: &[Attribute], errors: &mut Errors) -> Option<LitStr> {
    let mut name = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("describe")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let lit: LitStr = meta.value()?.parse()?;
                if !is_proto_ident(&lit.value()) {
                    errors.spanned(&lit, "a field or value name is a protobuf identifier");
                }
                set(&mut name, lit, "name", errors);
            } else {
                errors.spanned(&meta.path, "unknown describe option here: expected `name`");
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
    name
}

fn set(slot: &mut Option<LitStr>, lit: LitStr, what: &str, errors: &mut Errors) {
    if slot.is_some() {
        errors.spanned(&lit, format!("`{what}` is given twice"));
    } else {
        *slot = Some(lit);
    }
}

/// Consumes `= value` after an unknown key, so one mistake gives one error.
fn skip_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}
