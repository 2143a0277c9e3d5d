//! Reads `#[prost(...)]` as prost-derive does, into what a descriptor needs: the kind of field, its
//! label, tag(s) and packing. What prost accepts but a proto3 descriptor cannot say yet is a spanned
//! "not supported yet" error.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token};

use crate::errors::Errors;

/// A scalar type of protobuf, named as in `#[prost(...)]` and in `.proto`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Double,
    Float,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Bool,
    String,
    Bytes,
}

impl Scalar {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "double" => Self::Double,
            "float" => Self::Float,
            "int32" => Self::Int32,
            "int64" => Self::Int64,
            "uint32" => Self::Uint32,
            "uint64" => Self::Uint64,
            "sint32" => Self::Sint32,
            "sint64" => Self::Sint64,
            "fixed32" => Self::Fixed32,
            "fixed64" => Self::Fixed64,
            "sfixed32" => Self::Sfixed32,
            "sfixed64" => Self::Sfixed64,
            "bool" => Self::Bool,
            "string" => Self::String,
            "bytes" => Self::Bytes,
            _ => return None,
        })
    }

    /// The variant of `FieldType` in the runtime.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Double => "Double",
            Self::Float => "Float",
            Self::Int32 => "Int32",
            Self::Int64 => "Int64",
            Self::Uint32 => "Uint32",
            Self::Uint64 => "Uint64",
            Self::Sint32 => "Sint32",
            Self::Sint64 => "Sint64",
            Self::Fixed32 => "Fixed32",
            Self::Fixed64 => "Fixed64",
            Self::Sfixed32 => "Sfixed32",
            Self::Sfixed64 => "Sfixed64",
            Self::Bool => "Bool",
            Self::String => "String",
            Self::Bytes => "Bytes",
        }
    }

    /// Whether protobuf packs repeated values of it by default (prost's `is_numeric`).
    pub fn numeric(self) -> bool {
        !matches!(self, Self::String | Self::Bytes)
    }

    fn map_key(self) -> bool {
        !matches!(self, Self::Double | Self::Float | Self::Bytes)
    }
}

/// A map's value type.
pub enum MapValue {
    Scalar(Scalar),
    Enumeration(syn::Path),
    Message,
}

/// What the field is.
pub enum Kind {
    Scalar(Scalar),
    Enumeration(syn::Path),
    Message,
    Map { key: Scalar, value: MapValue },
    Oneof(syn::Path),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Optional,
    Repeated,
}

/// One field's `#[prost(...)]`, checked.
pub struct ProstField {
    pub kind: Kind,
    pub label: Option<Label>,
    pub packed: Option<bool>,
    pub tag: Option<u32>,
    pub tags: Vec<u32>,
}

/// Reads the `#[prost(...)]` attributes of a field or variant. `None` (with errors recorded) when they are
/// missing or wrong; `span` locates the field for the "missing" error.
pub fn parse(attrs: &[Attribute], span: Span, errors: &mut Errors) -> Option<ProstField> {
    let before = errors.len();
    let mut kind: Option<Kind> = None;
    let mut label = None;
    let mut packed = None;
    let mut tag = None;
    let mut tags = None;
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("prost")) {
        found = true;
        let metas = match attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(metas) => metas,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for meta in &metas {
            let key = meta
                .path()
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let mut set_kind = |new: Kind, errors: &mut Errors| {
                if kind.replace(new).is_some() {
                    errors.spanned(meta, "the field's type is given twice");
                }
            };
            match (key.as_str(), meta) {
                (name, Meta::Path(_)) if Scalar::from_name(name).is_some() => {
                    if let Some(scalar) = Scalar::from_name(name) {
                        set_kind(Kind::Scalar(scalar), errors);
                    }
                }
                ("bytes", Meta::NameValue(_)) => set_kind(Kind::Scalar(Scalar::Bytes), errors),
                ("message", Meta::Path(_)) => set_kind(Kind::Message, errors),
                ("enumeration", _) => {
                    if let Some(path) = path_value(meta, errors) {
                        set_kind(Kind::Enumeration(path), errors);
                    }
                }
                ("oneof", _) => {
                    if let Some(path) = path_value(meta, errors) {
                        set_kind(Kind::Oneof(path), errors);
                    }
                }
                ("map" | "hash_map" | "btree_map", _) => {
                    if let Some(map) = map_types(meta, errors) {
                        set_kind(map, errors);
                    }
                }
                ("optional", Meta::Path(_)) => set_label(&mut label, Label::Optional, meta, errors),
                ("repeated", Meta::Path(_)) => set_label(&mut label, Label::Repeated, meta, errors),
                ("packed", _) => packed = bool_value(meta, errors),
                ("tag", _) => tag = int_values(meta, errors).and_then(|t| t.first().copied()),
                ("tags", _) => tags = int_values(meta, errors),
                ("boxed", Meta::Path(_)) => {}
                ("group", _) => {
                    errors.spanned(meta, "groups (proto2) are not supported yet by Describe")
                }
                ("required", _) => errors.spanned(
                    meta,
                    "required fields (proto2) are not supported yet by Describe",
                ),
                ("default", _) => errors.spanned(
                    meta,
                    "default values (proto2) are not supported yet by Describe",
                ),
                _ => errors.spanned(meta, "unknown prost attribute for Describe"),
            }
        }
    }
    if !found {
        errors.push(syn::Error::new(
            span,
            "Describe needs the field's #[prost(...)] attribute, as prost::Message does",
        ));
        return None;
    }
    let Some(kind) = kind else {
        errors.push(syn::Error::new(
            span,
            "#[prost(...)] does not say the field's type (e.g. `int32`, `message`, `map = \"...\"`)",
        ));
        return None;
    };
    if packed.is_some()
        && !matches!(
            (&kind, label),
            (
                Kind::Scalar(_) | Kind::Enumeration(_),
                Some(Label::Repeated)
            )
        )
    {
        errors.push(syn::Error::new(
            span,
            "`packed` applies to repeated scalar fields only",
        ));
    }
    if errors.len() > before {
        return None;
    }
    Some(ProstField {
        kind,
        label,
        packed,
        tag,
        tags: tags.unwrap_or_default(),
    })
}

fn set_label(slot: &mut Option<Label>, label: Label, meta: &Meta, errors: &mut Errors) {
    if slot.replace(label).is_some() {
        errors.spanned(meta, "the field's label is given twice");
    }
}

/// The string of `key = "..."`.
fn str_value(meta: &Meta) -> Option<&LitStr> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// `key = "a::Path"` or `key(a::Path)`.
fn path_value(meta: &Meta, errors: &mut Errors) -> Option<syn::Path> {
    let parsed = match meta {
        Meta::List(list) => list.parse_args::<syn::Path>(),
        _ => match str_value(meta) {
            Some(lit) => lit.parse::<syn::Path>(),
            None => Err(syn::Error::new(meta.span(), "expected `= \"TypePath\"`")),
        },
    };
    parsed.map_err(|e| errors.push(e)).ok()
}

/// `packed`, `packed = "false"`, `packed = false`, `packed(false)`.
fn bool_value(meta: &Meta, errors: &mut Errors) -> Option<bool> {
    let value = match meta {
        Meta::Path(_) => Some(true),
        Meta::List(list) => list.parse_args::<syn::LitBool>().ok().map(|b| b.value),
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Some(b.value),
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => s.value().parse().ok(),
            _ => None,
        },
    };
    if value.is_none() {
        errors.spanned(meta, "expected `true` or `false`");
    }
    value
}

/// `tag = "1"`, `tag = 1`, `tag(1)`, `tags = "1, 2"`, `tags(1, 2)`.
fn int_values(meta: &Meta, errors: &mut Errors) -> Option<Vec<u32>> {
    let values: Option<Vec<u32>> = match meta {
        Meta::List(list) => list
            .parse_args_with(Punctuated::<syn::LitInt, Token![,]>::parse_terminated)
            .ok()
            .and_then(|ints| ints.iter().map(|i| i.base10_parse().ok()).collect()),
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => i.base10_parse().ok().map(|t| vec![t]),
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => s
                .value()
                .split(',')
                .map(|t| t.trim().parse().ok())
                .collect(),
            _ => None,
        },
        Meta::Path(_) => None,
    };
    match values {
        Some(values)
            if !values.is_empty() && values.iter().all(|&t| (1..=536_870_911).contains(&t)) =>
        {
            Some(values)
        }
        _ => {
            errors.spanned(meta, "expected field numbers from 1 to 536870911");
            None
        }
    }
}

/// `map = "string, int32"`, `map = "int32, message"`, `map = "string, enumeration(Corpus)"`, `map(k, v)`.
fn map_types(meta: &Meta, errors: &mut Errors) -> Option<Kind> {
    let (key, value, span) = match meta {
        Meta::List(list) => {
            let idents = list
                .parse_args_with(Punctuated::<syn::Ident, Token![,]>::parse_terminated)
                .ok()
                .filter(|i| i.len() == 2);
            match idents {
                Some(idents) => (idents[0].to_string(), idents[1].to_string(), list.span()),
                None => {
                    errors.spanned(meta, "expected `map(key_type, value_type)`");
                    return None;
                }
            }
        }
        _ => match str_value(meta).and_then(|lit| {
            let text = lit.value();
            let (k, v) = text.split_once(',')?;
            Some((k.trim().to_owned(), v.trim().to_owned(), lit.span()))
        }) {
            Some(parts) => parts,
            None => {
                errors.spanned(meta, "expected `map = \"key_type, value_type\"`");
                return None;
            }
        },
    };
    let key = match Scalar::from_name(&key).filter(|k| k.map_key()) {
        Some(key) => key,
        None => {
            errors.push(syn::Error::new(
                span,
                format!("`{key}` cannot be a map key"),
            ));
            return None;
        }
    };
    let value = if value == "message" {
        MapValue::Message
    } else if let Some(scalar) = Scalar::from_name(&value) {
        MapValue::Scalar(scalar)
    } else if let Some(inner) = value
        .strip_prefix("enumeration")
        .map(str::trim)
        .and_then(|v| v.strip_prefix('(').or_else(|| v.strip_prefix('<')))
        .and_then(|v| v.strip_suffix(')').or_else(|| v.strip_suffix('>')))
    {
        match syn::parse_str::<syn::Path>(inner.trim()) {
            // The path's tokens carry the attribute's span, so errors about it point there.
            Ok(path) => MapValue::Enumeration(respan(path, span)),
            Err(_) => {
                errors.push(syn::Error::new(
                    span,
                    format!("`{inner}` is not a type path"),
                ));
                return None;
            }
        }
    } else {
        errors.push(syn::Error::new(
            span,
            format!("`{value}` cannot be a map value"),
        ));
        return None;
    };
    Some(Kind::Map { key, value })
}

fn respan(path: syn::Path, span: Span) -> syn::Path {
    let tokens: proc_macro2::TokenStream = quote::ToTokens::into_token_stream(path)
        .into_iter()
        .map(|mut t| {
            t.set_span(span);
            t
        })
        .collect();
    syn::parse2(tokens).unwrap_or_else(|_| syn::Path::from(syn::Ident::new("__invalid", span)))
}
