//! Reading a method's signature: which messages it carries and which sides stream.

use syn::{GenericArgument, PathArguments, ReturnType, Type, TypeImplTrait, TypeParamBound};

pub const EXPECTED_REQUEST: &str = "expected `Request<M>` for one request message, \
     or `Request<Streaming<M>>` for a stream of them";
pub const EXPECTED_STREAM_TYPE: &str = "an associated type of a service trait names a streamed response: \
     write `type Name: Stream<Item = Result<M, Status>>;`";
pub const EXPECTED_RESPONSE: &str = "expected `Result<Response<M>, Status>` for one response message, \
     or `Result<Response<impl Stream<Item = Result<M, Status>>>, Status>` for a stream of them";

/// The request parameter's message, and whether it comes as a stream.
pub fn request_message(ty: &Type) -> Option<(Type, bool)> {
    let inner = single_generic(ty, "Request")?;
    match single_generic(inner, "Streaming") {
        Some(message) => Some((message.clone(), true)),
        None => Some((inner.clone(), false)),
    }
}

/// The streams a trait declares as associated types (`type ListStream: Stream<Item = Result<M, Status>>;`),
/// by name, with their message `M`: what `Response<Self::ListStream>` streams, in tonic-build's style.
pub type StreamTypes = std::collections::HashMap<String, Type>;

/// The `M` of an associated type bounded by `Stream<Item = Result<M, Status>>`.
pub fn associated_stream_item(item: &syn::TraitItemType) -> Option<Type> {
    let bounds = TypeImplTrait {
        impl_token: Default::default(),
        bounds: item.bounds.clone(),
    };
    stream_item(&bounds)
}

/// The response message inside `Result<Response<_>, Status>`, and whether it comes as a stream.
pub fn response_message(ty: &Type, streams: &StreamTypes) -> Option<(Type, bool)> {
    let (ok, err) = two_generics(ty, "Result")?;
    if !is_named(err, "Status") {
        return None;
    }
    let body = single_generic(ok, "Response")?;
    match body {
        Type::ImplTrait(stream) => stream_item(stream).map(|item| (sent(&item).clone(), true)),
        Type::Path(path) => match associated_type(path) {
            Some(name) => streams.get(&name).map(|item| (sent(item).clone(), true)),
            None => Some((sent(body).clone(), false)),
        },
        // `()` is prost's google.protobuf.Empty.
        Type::Tuple(unit) if unit.elems.is_empty() => Some((body.clone(), false)),
        _ => None,
    }
}

/// The message `M` that a response of `hello::Reply<M>` or `hello::Prepared<M>` sends (the bytes on the wire are
/// `M`'s, see hello/src/prepared.rs); any other type as it is.
fn sent(ty: &Type) -> &Type {
    single_generic(ty, "Reply")
        .or_else(|| single_generic(ty, "Prepared"))
        .unwrap_or(ty)
}

/// `Output` of an `impl Future<Output = ...>` return type, for methods written without `async`.
pub fn future_output(output: &ReturnType) -> Option<&Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::ImplTrait(future) = &**ty else {
        return None;
    };
    bound_binding(future, "Future", "Output")
}

/// `X` of `Self::X`.
fn associated_type(path: &syn::TypePath) -> Option<String> {
    let segments = &path.path.segments;
    (path.qself.is_none() && segments.len() == 2 && segments[0].ident == "Self")
        .then(|| segments[1].ident.to_string())
}

/// The `M` of `impl Stream<Item = Result<M, Status>>`.
fn stream_item(stream: &TypeImplTrait) -> Option<Type> {
    let item = bound_binding(stream, "Stream", "Item")?;
    let (message, err) = two_generics(item, "Result")?;
    is_named(err, "Status").then(|| message.clone())
}

/// The type bound to `name` in the `trait_name<name = T>` bound of an `impl Trait`.
fn bound_binding<'a>(ty: &'a TypeImplTrait, trait_name: &str, name: &str) -> Option<&'a Type> {
    ty.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let segment = bound.path.segments.last()?;
        if segment.ident != trait_name {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &segment.arguments else {
            return None;
        };
        args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == name => Some(&assoc.ty),
            _ => None,
        })
    })
}

fn generic_types<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    if segment.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args
        .iter()
        .map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect()
}

fn single_generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    match generic_types(ty, name)?.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

fn two_generics<'a>(ty: &'a Type, name: &str) -> Option<(&'a Type, &'a Type)> {
    match generic_types(ty, name)?.as_slice() {
        [first, second] => Some((first, second)),
        _ => None,
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == name && s.arguments.is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;
    use syn::parse_quote;

    fn text(ty: Type) -> String {
        ty.to_token_stream().to_string()
    }

    #[test]
    fn reads_requests() {
        let (m, streaming) = request_message(&parse_quote!(tonic::Request<Point>)).unwrap();
        assert_eq!((text(m), streaming), ("Point".into(), false));
        let (m, streaming) = request_message(&parse_quote!(Request<Streaming<pb::Note>>)).unwrap();
        assert_eq!((text(m), streaming), ("pb :: Note".into(), true));
        assert!(request_message(&parse_quote!(Point)).is_none());
        assert!(request_message(&parse_quote!(Request<A, B>)).is_none());
    }

    #[test]
    fn reads_responses() {
        let none = StreamTypes::new();
        let (m, streaming) =
            response_message(&parse_quote!(Result<Response<Feature>, Status>), &none).unwrap();
        assert_eq!((text(m), streaming), ("Feature".into(), false));
        let ty = parse_quote!(
            Result<Response<impl Stream<Item = Result<Feature, Status>> + Send>, tonic::Status>
        );
        let (m, streaming) = response_message(&ty, &none).unwrap();
        assert_eq!((text(m), streaming), ("Feature".into(), true));
        assert!(response_message(&parse_quote!(Result<Feature, Status>), &none).is_none());
        assert!(
            response_message(&parse_quote!(Result<Response<Feature>, String>), &none).is_none()
        );
        assert!(response_message(&parse_quote!(Response<Feature>), &none).is_none());
    }

    #[test]
    fn prepared_responses_send_their_message() {
        let none = StreamTypes::new();
        for ty in [
            parse_quote!(Result<Response<hello::Prepared<Feature>>, Status>),
            parse_quote!(Result<Response<Reply<Feature>>, Status>),
        ] {
            let (m, streaming) = response_message(&ty, &none).unwrap();
            assert_eq!((text(m), streaming), ("Feature".into(), false));
        }
        let ty = parse_quote!(
            Result<Response<impl Stream<Item = Result<Reply<pb::Feature>, Status>>>, Status>
        );
        let (m, streaming) = response_message(&ty, &none).unwrap();
        assert_eq!((text(m), streaming), ("pb :: Feature".into(), true));
    }

    #[test]
    fn reads_associated_streams() {
        let item: syn::TraitItemType = parse_quote!(
            type ListStream: Stream<Item = Result<Feature, Status>> + Send;
        );
        let streams =
            StreamTypes::from([("ListStream".into(), associated_stream_item(&item).unwrap())]);
        let ty = parse_quote!(Result<Response<Self::ListStream>, Status>);
        let (m, streaming) = response_message(&ty, &streams).unwrap();
        assert_eq!((text(m), streaming), ("Feature".into(), true));
        let unknown = parse_quote!(Result<Response<Self::Other>, Status>);
        assert!(response_message(&unknown, &streams).is_none());
    }
}
