//! The model of a service: the one thing the parsing, checking and generating stages share. It carries everything
//! generation needs, computed once, so that generation never reads the user's syntax again.

use crate::naming::{client_module, server_module, service_info_const};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Ident, Path, Type, Visibility, parse_quote};

/// A service trait as the macro understood it.
pub struct Service {
    /// The trait as emitted: the user's own, edited so that the server can run its futures and streams
    /// (see `edit_trait`).
    pub trait_def: TokenStream,
    /// Whether the server and client can name the trait; not when it is generic (a mistake already reported).
    pub nameable: bool,
    pub names: Names,
    pub vis: Visibility,
    /// The protobuf package, `hello`, or empty.
    pub package: String,
    /// The service name, `Hello`.
    pub name: String,
    /// `hello.Hello`, or `Hello` without a package.
    pub full_name: String,
    /// Where the runtime lives, `::hello` unless the `crate` argument says otherwise.
    pub crate_path: Path,
    /// The methods that were understood, in declaration order.
    pub methods: Vec<Method>,
    /// The trait's rustdoc as comment text (see `describe::docs`), for the schema.
    pub docs: String,
}

/// The names of the generated items, as tonic-build names them.
pub struct Names {
    /// The trait's identifier, `RouteGuide`.
    pub trait_ident: Ident,
    /// `route_guide_server`
    pub server_mod: Ident,
    /// `RouteGuideServer`
    pub server: Ident,
    /// `route_guide_client`
    pub client_mod: Ident,
    /// `RouteGuideClient`
    pub client: Ident,
    /// `ROUTE_GUIDE_SERVICE`
    pub info: Ident,
}

impl Names {
    pub fn new(trait_ident: &Ident) -> Self {
        // `r#Foo` names modules `foo_server`, not the invalid `r#_foo_server`.
        let trait_name = trait_ident.unraw().to_string();
        let ident = |name: String| Ident::new(&name, Span::call_site());
        Self {
            trait_ident: trait_ident.clone(),
            server_mod: ident(server_module(&trait_name)),
            server: ident(format!("{trait_name}Server")),
            client_mod: ident(client_module(&trait_name)),
            client: ident(format!("{trait_name}Client")),
            info: ident(service_info_const(&trait_name)),
        }
    }
}

/// One RPC.
pub struct Method {
    /// The Rust method, `get_feature`.
    pub ident: Ident,
    /// The gRPC method name, `GetFeature`.
    pub name: String,
    /// The HTTP/2 path the method is served at, `/hello.Hello/GetFeature`.
    pub path: String,
    pub kind: Kind,
    /// tonic's handler for the kind, the same name on `client::Grpc` and `server::Grpc`: `unary`, `streaming`, ...
    pub handler: Ident,
    /// The runtime's `MethodKind` variant for the kind: `Unary`, `Bidirectional`, ...
    pub kind_variant: Ident,
    /// The request message (inside `Streaming<..>` for a client stream).
    pub input: Message,
    /// The response message (the stream's item for a server stream).
    pub output: Message,
    /// The method's doc comments, repeated on the client's method.
    pub docs: Vec<syn::Attribute>,
    /// `#[rpc(idempotency = ...)]`: the `IdempotencyLevel` variant, `NoSideEffects` or `Idempotent`.
    pub idempotency: Option<&'static str>,
}

impl Method {
    pub fn new(
        service_full_name: &str,
        ident: Ident,
        name: String,
        kind: Kind,
        (input, output): (Type, Type),
        docs: Vec<syn::Attribute>,
    ) -> Self {
        let (handler, variant) = kind.names();
        Self {
            path: format!("/{service_full_name}/{name}"),
            ident,
            name,
            kind,
            handler: Ident::new(handler, Span::call_site()),
            kind_variant: Ident::new(variant, Span::call_site()),
            input: Message::new(input),
            output: Message::new(output),
            docs,
            idempotency: None,
        }
    }
}

/// A message type of a method, as each generated item names it.
pub struct Message {
    /// As written in the trait: `Point`, `self::Point`.
    pub ty: Type,
    /// As named from a generated module, one level below the trait's: `self::M` and `super::M` paths gain a
    /// `super`; anything else resolves there through `use super::*`.
    pub from_module: Type,
    /// As text for `ServiceInfo`, without the spaces token printing puts around `::`: `pb::Note`.
    pub text: String,
}

impl Message {
    fn new(ty: Type) -> Self {
        let mut from_module = ty.clone();
        if let Type::Path(path) = &mut from_module
            && path.qself.is_none()
            && path.path.leading_colon.is_none()
            && let Some(first) = path.path.segments.first_mut()
        {
            if first.ident == "self" {
                first.ident = Ident::new("super", first.ident.span());
            } else if first.ident == "super" {
                path.path.segments.insert(0, parse_quote!(super));
            }
        }
        Self {
            text: ty.to_token_stream().to_string().replace(' ', ""),
            ty,
            from_module,
        }
    }
}

/// Which sides stream, as DESIGN.md's table infers it from the signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Unary,
    ServerStreaming,
    ClientStreaming,
    Bidirectional,
}

impl Kind {
    pub fn new(client_streaming: bool, server_streaming: bool) -> Self {
        match (client_streaming, server_streaming) {
            (false, false) => Self::Unary,
            (false, true) => Self::ServerStreaming,
            (true, false) => Self::ClientStreaming,
            (true, true) => Self::Bidirectional,
        }
    }

    /// tonic's handler for the kind, and the runtime's `MethodKind` variant: the one table of both.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Unary => ("unary", "Unary"),
            Self::ServerStreaming => ("server_streaming", "ServerStreaming"),
            Self::ClientStreaming => ("client_streaming", "ClientStreaming"),
            Self::Bidirectional => ("streaming", "Bidirectional"),
        }
    }

    pub fn client_streaming(self) -> bool {
        matches!(self, Self::ClientStreaming | Self::Bidirectional)
    }

    pub fn server_streaming(self) -> bool {
        matches!(self, Self::ServerStreaming | Self::Bidirectional)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_carries_its_path_and_handler() {
        let method = Method::new(
            "routeguide.RouteGuide",
            parse_quote!(list_features),
            "ListFeatures".into(),
            Kind::ServerStreaming,
            (
                parse_quote!(self::Rectangle),
                parse_quote!(super::pb::Feature),
            ),
            Vec::new(),
        );
        assert_eq!(method.path, "/routeguide.RouteGuide/ListFeatures");
        assert_eq!(method.handler, "server_streaming");
        assert_eq!(method.kind_variant, "ServerStreaming");
        let text = |ty: &Type| ty.to_token_stream().to_string().replace(' ', "");
        assert_eq!(text(&method.input.from_module), "super::Rectangle");
        assert_eq!(
            text(&method.output.from_module),
            "super::super::pb::Feature"
        );
        assert_eq!(method.output.text, "super::pb::Feature");
    }
}
