//! From the user's trait to the model, recording every mistake with a span on the user's code. The model carries
//! the trait as emitted too (`edit_trait`), so nothing after this stage reads the trait again.

use super::edit_trait::edit_trait;
use super::model::{Kind, Method, Names, Service};
use super::signature::{
    EXPECTED_REQUEST, EXPECTED_RESPONSE, EXPECTED_STREAM_TYPE, StreamTypes, associated_stream_item,
    future_output, request_message, response_message,
};
use crate::args::{RpcArgs, ServiceArgs};
use crate::errors::Errors;
use crate::naming::rpc_method_name;
use syn::ext::IdentExt;
use syn::{FnArg, ItemTrait, ReturnType, TraitItem, TraitItemFn};

pub fn service(args: ServiceArgs, item: &ItemTrait, errors: &mut Errors) -> Service {
    let nameable = item.generics.params.is_empty() && item.generics.where_clause.is_none();
    if !nameable {
        errors.spanned(
            &item.generics,
            "a service trait cannot be generic: name the message types in each method",
        );
    }
    if let Some(unsafety) = &item.unsafety {
        errors.spanned(
            unsafety,
            "a service trait cannot be `unsafe`: remove `unsafe`",
        );
    }
    let package = args.package.map(|p| p.value()).unwrap_or_default();
    let name = args
        .name
        .map(|n| n.value())
        .unwrap_or_else(|| item.ident.unraw().to_string());
    let full_name = if package.is_empty() {
        name.clone()
    } else {
        format!("{package}.{name}")
    };
    let streams = stream_types(item, errors);
    let mut methods = Vec::new();
    for trait_item in &item.items {
        match trait_item {
            TraitItem::Fn(function) => {
                if let Some(method) = method(function, &full_name, &streams, errors) {
                    methods.push(method);
                }
            }
            TraitItem::Type(_) => {} // read by `stream_types`
            other => errors.spanned(
                other,
                "a service trait holds only RPC methods and the stream types they return: move this item out of the trait",
            ),
        }
    }
    Service {
        trait_def: edit_trait(item, errors),
        nameable,
        names: Names::new(&item.ident),
        vis: item.vis.clone(),
        package,
        name,
        full_name,
        crate_path: args
            .crate_path
            .unwrap_or_else(|| syn::parse_quote!(::hello)),
        methods,
        docs: crate::describe::docs::doc_text(&item.attrs),
    }
}

/// The associated stream types, each checked to be `Stream<Item = Result<M, Status>>` without generics.
fn stream_types(item: &ItemTrait, errors: &mut Errors) -> StreamTypes {
    let mut streams = StreamTypes::new();
    for trait_item in &item.items {
        let TraitItem::Type(ty) = trait_item else {
            continue;
        };
        if !ty.generics.params.is_empty() || ty.default.is_some() {
            errors.spanned(ty, EXPECTED_STREAM_TYPE);
        } else if let Some(message) = associated_stream_item(ty) {
            streams.insert(ty.ident.to_string(), message);
        } else {
            errors.spanned(&ty.bounds, EXPECTED_STREAM_TYPE);
        }
    }
    streams
}

/// One method, or `None` (with its mistakes recorded) when it cannot be served.
fn method(
    function: &TraitItemFn,
    service_full_name: &str,
    streams: &StreamTypes,
    errors: &mut Errors,
) -> Option<Method> {
    let before = errors.len();
    let sig = &function.sig;
    let rpc = RpcArgs::from_attrs(&function.attrs, errors);
    check_qualifiers(sig, errors);

    let mut inputs = sig.inputs.iter().peekable();
    match inputs.peek() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.reference.is_none()
                || receiver.mutability.is_some()
                || receiver.colon_token.is_some()
            {
                errors.spanned(
                    receiver,
                    "the receiver must be `&self`: the server shares one value across concurrent calls",
                );
            }
            inputs.next();
        }
        _ => errors.push(syn::Error::new(
            sig.paren_token.span.join(),
            format!(
                "a gRPC method takes `&self` first: write `fn {}(&self, request: Request<M>)`",
                sig.ident
            ),
        )),
    }
    let request = match inputs.next() {
        Some(FnArg::Typed(param)) => {
            let message = request_message(&param.ty);
            if message.is_none() {
                errors.spanned(&param.ty, EXPECTED_REQUEST);
            }
            message
        }
        Some(FnArg::Receiver(_)) => None,
        None => {
            errors.push(syn::Error::new(
                sig.paren_token.span.join(),
                "missing the request parameter: add `request: Request<M>`",
            ));
            None
        }
    };
    for extra in inputs {
        errors.spanned(
            extra,
            "a gRPC method takes exactly one request parameter: remove this one, or carry it in the message",
        );
    }

    let returned = match (&sig.asyncness, future_output(&sig.output)) {
        (Some(_), _) => match &sig.output {
            ReturnType::Type(_, ty) => Some(&**ty),
            ReturnType::Default => None,
        },
        (None, Some(output)) => Some(output),
        (None, None) => {
            errors.spanned(
                sig.fn_token,
                format!(
                    "a gRPC method must be `async`: write `async fn {}`, or return \
                     `impl Future<Output = Result<Response<M>, Status>> + Send`",
                    sig.ident
                ),
            );
            return None;
        }
    };
    let response = returned.and_then(|ty| response_message(ty, streams));
    if response.is_none() {
        match returned {
            Some(ty) => errors.spanned(ty, EXPECTED_RESPONSE),
            None => errors.push(syn::Error::new(
                sig.paren_token.span.join(),
                EXPECTED_RESPONSE,
            )),
        }
    }

    let ((input, client_streaming), (output, server_streaming)) = (request?, response?);
    if errors.len() != before {
        return None;
    }
    let name = rpc
        .name
        .map(|n| n.value())
        .unwrap_or_else(|| rpc_method_name(&sig.ident.to_string()));
    let docs = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    let mut method = Method::new(
        service_full_name,
        sig.ident.clone(),
        name,
        Kind::new(client_streaming, server_streaming),
        (input, output),
        docs,
    );
    method.idempotency = rpc.idempotency;
    Some(method)
}

fn check_qualifiers(sig: &syn::Signature, errors: &mut Errors) {
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.spanned(
            &sig.generics,
            "a gRPC method cannot be generic: name the concrete message types",
        );
    }
    if let Some(constness) = &sig.constness {
        errors.spanned(constness, "a gRPC method cannot be `const`: remove `const`");
    }
    if let Some(unsafety) = &sig.unsafety {
        errors.spanned(
            unsafety,
            "a gRPC method cannot be `unsafe`: remove `unsafe`",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(abi, "a gRPC method cannot have an ABI: remove it");
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(variadic, "a gRPC method cannot be variadic");
    }
}
