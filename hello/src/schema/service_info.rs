//! The model of a service as the macro saw it, kept as `'static` data in the generated code.

/// The four kinds of gRPC method, told apart by whether each side streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodKind {
    /// One request, one response.
    Unary,
    /// One request, a stream of responses.
    ServerStreaming,
    /// A stream of requests, one response.
    ClientStreaming,
    /// A stream each way.
    Bidirectional,
}

impl MethodKind {
    /// The kind with these streaming flags, as a `.proto` states them.
    pub const fn from_streaming(client_streaming: bool, server_streaming: bool) -> Self {
        match (client_streaming, server_streaming) {
            (false, false) => Self::Unary,
            (false, true) => Self::ServerStreaming,
            (true, false) => Self::ClientStreaming,
            (true, true) => Self::Bidirectional,
        }
    }

    /// Whether the client sends a stream (`rpc M(stream In)`).
    pub const fn client_streaming(self) -> bool {
        matches!(self, Self::ClientStreaming | Self::Bidirectional)
    }

    /// Whether the server answers with a stream (`returns (stream Out)`).
    pub const fn server_streaming(self) -> bool {
        matches!(self, Self::ServerStreaming | Self::Bidirectional)
    }
}

/// One RPC of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// The gRPC method name, `GetFeature`.
    pub name: &'static str,
    /// The Rust method of the trait, `get_feature`.
    pub rust_name: &'static str,
    /// The HTTP/2 path, `/hello.Hello/GetFeature`.
    pub path: &'static str,
    /// Unary, server streaming, client streaming or bidirectional.
    pub kind: MethodKind,
    /// The request message's Rust type as written in the trait, `Point`.
    pub input_type: &'static str,
    /// The response message's Rust type as written in the trait, `Feature`.
    pub output_type: &'static str,
    /// The request message's schema, when its type derives [`crate::Describe`].
    pub input_descriptor: Option<crate::MessageRef>,
    /// The response message's schema, when its type derives [`crate::Describe`].
    pub output_descriptor: Option<crate::MessageRef>,
    /// `#[rpc(idempotency = "...")]`: the method's `option idempotency_level` (Connect's GET may call a method
    /// with no side effects).
    pub idempotency: prost_types::method_options::IdempotencyLevel,
    /// The method's rustdoc, one line per `///` line: a comment in the `.proto` and the descriptors.
    pub docs: &'static str,
}

/// A gRPC service: its package, its name and its methods in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The protobuf package, `hello`; empty when the service has none.
    pub package: &'static str,
    /// The service name, `Hello`.
    pub name: &'static str,
    /// The fully qualified name, `hello.Hello`.
    pub full_name: &'static str,
    /// Every method, in the order the trait declares them.
    pub methods: &'static [MethodInfo],
    /// The trait's rustdoc, one line per `///` line: a comment in the `.proto` and the descriptors.
    pub docs: &'static str,
}

impl ServiceInfo {
    /// The method with this gRPC name, if the service has one.
    pub fn method(&self, name: &str) -> Option<&MethodInfo> {
        self.methods.iter().find(|m| m.name == name)
    }
}
