//! tonic's transport, re-exported so a user of `hello` needs no other dependency to serve and to connect.

pub use tonic::transport::server::TcpIncoming;
/// TLS on both sides (rustls), with the `tls` feature.
#[cfg(feature = "tls")]
pub use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};
pub use tonic::transport::{Channel, Endpoint, Error, Server};

mod balance;

pub use balance::balanced_by_health;
