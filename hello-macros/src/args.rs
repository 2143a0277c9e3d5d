//! The arguments of `#[service(...)]` on the trait and of `#[rpc(...)]` on its methods.

use crate::errors::Errors;
use crate::naming::{is_proto_ident, is_proto_package};
use syn::meta::ParseNestedMeta;
use syn::{LitStr, Path};

/// `#[service(package = "hello", name = "Hello", crate = "::hello")]`, every part optional.
#[derive(Default)]
pub struct ServiceArgs {
    pub package: Option<LitStr>,
    pub name: Option<LitStr>,
    pub crate_path: Option<Path>,
}

impl ServiceArgs {
    pub fn parse(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> Self {
        let mut args = Self::default();
        let parser = syn::meta::parser(|meta| args.parse_one(meta));
        if let Err(error) = syn::parse::Parser::parse2(parser, tokens) {
            errors.push(error);
        }
        args.check(errors);
        args
    }

    fn parse_one(&mut self, meta: ParseNestedMeta) -> syn::Result<()> {
        if meta.path.is_ident("package") {
            self.package = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("name") {
            self.name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("crate") {
            let path: LitStr = meta.value()?.parse()?;
            self.crate_path = Some(path.parse()?);
        } else {
            return Err(meta.error(
                "unknown argument: expected `package = \"my.package\"`, `name = \"ServiceName\"` \
                 or `crate = \"::hello\"`",
            ));
        }
        Ok(())
    }

    fn check(&self, errors: &mut Errors) {
        if let Some(package) = &self.package
            && !is_proto_package(&package.value())
        {
            errors.spanned(
                package,
                format!(
                    "invalid package `{}`: write identifiers joined by dots, such as `hello` or `my.api.v1`",
                    package.value()
                ),
            );
        }
        if let Some(name) = &self.name
            && !is_proto_ident(&name.value())
        {
            errors.spanned(
                name,
                format!(
                    "invalid service name `{}`: write one identifier, such as `Hello`",
                    name.value()
                ),
            );
        }
    }
}

/// `#[rpc(name = "GetFeature")]` on a method: the gRPC name, when the PascalCase of the Rust name is not it;
/// `#[rpc(idempotency = "no_side_effects")]` (or `"idempotent"`): its `idempotency_level` option (Connect's GET
/// may call a method free of side effects).
#[derive(Default)]
pub struct RpcArgs {
    pub name: Option<LitStr>,
    /// `NoSideEffects` or `Idempotent`: the variant of prost-types' `IdempotencyLevel`.
    pub idempotency: Option<&'static str>,
}

/// The attribute that configures one method; the macro removes it from the emitted trait.
pub const RPC_ATTRIBUTE: &str = "rpc";

impl RpcArgs {
    pub fn from_attrs(attrs: &[syn::Attribute], errors: &mut Errors) -> Self {
        let mut args = Self::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident(RPC_ATTRIBUTE)) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    args.name = Some(meta.value()?.parse()?);
                    Ok(())
                } else if meta.path.is_ident("idempotency") {
                    let level: LitStr = meta.value()?.parse()?;
                    args.idempotency = Some(match level.value().as_str() {
                        "no_side_effects" => "NoSideEffects",
                        "idempotent" => "Idempotent",
                        _ => {
                            return Err(syn::Error::new(
                                level.span(),
                                "expected `idempotency = \"no_side_effects\"` or `\"idempotent\"`",
                            ));
                        }
                    });
                    Ok(())
                } else {
                    Err(meta.error(
                        "unknown argument: expected `name = \"MethodName\"` or `idempotency = \"no_side_effects\"`",
                    ))
                }
            });
            if let Err(error) = parsed {
                errors.push(error);
            }
        }
        if let Some(name) = &args.name
            && !is_proto_ident(&name.value())
        {
            errors.spanned(
                name,
                format!(
                    "invalid method name `{}`: write one identifier, such as `GetFeature`",
                    name.value()
                ),
            );
        }
        args
    }
}
