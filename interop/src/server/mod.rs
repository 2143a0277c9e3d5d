//! The interop server: `TestService` (and no `UnimplementedService`) behind the metadata-echo layer, in
//! plaintext or TLS, on a bound listener until told to stop.

pub mod logic;
mod service;

pub use service::Interop;

use crate::service::test_service_server::TestServiceServer;
use crate::wire::WireLayer;
use std::future::Future;
use tokio::net::TcpListener;
use tonic::codec::CompressionEncoding;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Identity, Server, ServerTlsConfig};

/// The test certificate (for `*.test.google.fr`, `localhost`, 127.0.0.1 and ::1) and its key: see certs/README.md.
pub const TEST_CERT_PEM: &[u8] = include_bytes!("../../certs/server.pem");
pub const TEST_KEY_PEM: &[u8] = include_bytes!("../../certs/server.key");
/// The CA that signed [`TEST_CERT_PEM`]; clients trust it with `--use_test_ca`.
pub const TEST_CA_PEM: &[u8] = include_bytes!("../../certs/ca.pem");

/// Large enough for the biggest interop message (about 314 KB) with room to spare; gRPC's default receive limit.
const MAX_MESSAGE_SIZE: usize = 4 << 20;

/// A certificate chain and its key, PEM.
#[derive(Clone)]
pub struct Tls {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

impl Tls {
    /// The committed test certificate.
    pub fn test_cert() -> Tls {
        Tls {
            cert_pem: TEST_CERT_PEM.to_vec(),
            key_pem: TEST_KEY_PEM.to_vec(),
        }
    }
}

/// Serves `grpc.testing.TestService` on `listener` until `shutdown` completes: gzip accepted, and sent where
/// a request asks for it.
pub async fn serve(
    listener: TcpListener,
    tls: Option<Tls>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), tonic::transport::Error> {
    let test_service = TestServiceServer::new(Interop)
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let mut builder = Server::builder();
    if let Some(tls) = tls {
        builder = builder.tls_config(
            ServerTlsConfig::new().identity(Identity::from_pem(tls.cert_pem, tls.key_pem)),
        )?;
    }
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    builder
        .layer(WireLayer)
        .add_service(test_service)
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}
