//! The Connect protocol (connectrpc.com/docs/protocol) in front of a gRPC service: unary POST and GET,
//! streaming envelopes, with protobuf or JSON messages.

mod request;
mod service;
mod stream;
mod unary;

pub use service::ConnectService;
pub(crate) use service::Shared;
