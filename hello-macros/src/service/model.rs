//! The model of a service: the one thing the checking and generating stages share.

use syn::{Ident, Path, Type};

/// A service trait as the macro understood it.
pub struct Service {
    /// The trait's identifier, `Hello`.
    pub trait_ident: Ident,
    pub vis: syn::Visibility,
    /// The protobuf package, `hello`, or empty.
    pub package: String,
    /// The service name, `Hello`.
    pub name: String,
    /// Where `ServiceInfo` and friends live, `::hello` unless overridden.
    pub crate_path: Path,
    /// The methods that were understood, in declaration order.
    pub methods: Vec<Method>,
}

impl Service {
    /// `hello.Hello`, or `Hello` without a package.
    pub fn full_name(&self) -> String {
        if self.package.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.package, self.name)
        }
    }
}

/// One RPC.
pub struct Method {
    /// The Rust method, `get_feature`.
    pub ident: Ident,
    /// The gRPC method name, `GetFeature`.
    pub name: String,
    pub kind: Kind,
    /// The request message, `Point` (inside `Streaming<..>` for a client stream).
    pub input: Type,
    /// The response message, `Feature` (the stream's item for a server stream).
    pub output: Type,
    /// The method's doc comments, repeated on the client's method.
    pub docs: Vec<syn::Attribute>,
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

    pub fn client_streaming(self) -> bool {
        matches!(self, Self::ClientStreaming | Self::Bidirectional)
    }

    pub fn server_streaming(self) -> bool {
        matches!(self, Self::ServerStreaming | Self::Bidirectional)
    }
}
