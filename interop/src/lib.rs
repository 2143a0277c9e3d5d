//! `grpc.testing.TestService`, the service of gRPC's standard interop suite, defined with
//! `#[hello::service]`: the messages by hand, the services as traits, a server that behaves as the
//! standard interop server and a client that runs the standard cases against any server.

pub mod client;
pub mod messages;
pub mod server;
pub mod service;
pub mod wire;

pub use service::{
    reconnect_service_client, reconnect_service_server, test_service_client, test_service_server,
    unimplemented_service_client, unimplemented_service_server,
};
