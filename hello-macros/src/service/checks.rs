//! Checks of the model as a whole, after parsing: what no single method shows.

use super::model::{Method, Service};
use crate::errors::Errors;

/// Generated client methods that an RPC must not be named after.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "connect",
    "with_origin",
    "with_interceptor",
    "send_compressed",
    "accept_compressed",
    "max_decoding_message_size",
    "max_encoding_message_size",
];

pub fn check(service: &mut Service, errors: &mut Errors) {
    service.methods = check_names(std::mem::take(&mut service.methods), errors);
}

/// Two methods with one gRPC name would share a path; an RPC named like a client helper would clash with it.
/// Such methods are reported and left out of the generated code, which then has no follow-on errors.
fn check_names(methods: Vec<Method>, errors: &mut Errors) -> Vec<Method> {
    let mut kept: Vec<Method> = Vec::with_capacity(methods.len());
    for method in methods {
        let rust_name = method.ident.to_string();
        if let Some(first) = kept.iter().find(|m| m.name == method.name) {
            errors.push(syn::Error::new(
                method.ident.span(),
                format!(
                    "`{}` and `{}` both have the gRPC name `{}`: rename one, or set \
                     `#[rpc(name = \"...\")]` on it",
                    first.ident, method.ident, method.name
                ),
            ));
        } else if CLIENT_METHODS.contains(&rust_name.as_str()) {
            errors.push(syn::Error::new(
                method.ident.span(),
                format!(
                    "`{rust_name}` conflicts with the generated client's own `{rust_name}`: rename the \
                     Rust method and keep the gRPC name with `#[rpc(name = \"{}\")]`",
                    method.name
                ),
            ));
        } else {
            kept.push(method);
        }
    }
    kept
}
