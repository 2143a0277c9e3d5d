//! TLS that offers both HTTP/2 and HTTP/1.1 by ALPN (feature `web-tls`).
//!
//! tonic's own TLS offers only `h2`, so a client that asks for `http/1.1` alone (`curl --http1.1`, many
//! HTTP/1.1 libraries) is refused during the handshake. [`accept`] does the handshake itself with both, and
//! tonic serves each connection as what the client speaks: give its stream to `serve_with_incoming` in place
//! of `tls_config`.

use crate::web::WebError;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
pub use tokio_rustls::server::TlsStream;
use tokio_stream::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;

/// How long a client gets to finish its handshake; one that stalls holds nothing but its own task.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Handshakes waiting to be served; past this many, accepting waits for tonic to take them.
const BACKLOG: usize = 128;

/// The server's TLS settings: this certificate chain and key (PEM), ALPN `h2` then `http/1.1`.
pub fn server_config(cert_pem: &[u8], key_pem: &[u8]) -> Result<Arc<ServerConfig>, WebError> {
    let certs = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| WebError::new(format!("bad certificate PEM: {e}")))?;
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|e| WebError::new(format!("bad private key PEM: {e}")))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(certs, key))
        .map_err(|e| WebError::new(format!("cannot serve TLS with this certificate: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The TLS connections of `incoming` (accepted TCP connections, or anything that reads and writes), each
/// handshaken on a task of its own so that a slow client delays no other. Failed handshakes are dropped.
pub fn accept<S, IO, E>(
    incoming: S,
    config: Arc<ServerConfig>,
) -> impl Stream<Item = Result<TlsStream<IO>, io::Error>> + Send + 'static
where
    S: Stream<Item = Result<IO, E>> + Send + 'static,
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(BACKLOG);
    let acceptor = TlsAcceptor::from(config);
    tokio::spawn(async move {
        let mut incoming = std::pin::pin!(incoming);
        while let Some(conn) = incoming.next().await {
            let io = match conn {
                Ok(io) => io,
                Err(e) => {
                    let e: Box<dyn std::error::Error + Send + Sync> = e.into();
                    if tx.send(Err(io::Error::other(e))).await.is_err() {
                        return;
                    }
                    continue;
                }
            };
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                if let Ok(Ok(tls)) =
                    tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(io)).await
                {
                    let _ = tx.send(Ok(tls)).await;
                }
            });
        }
    });
    ReceiverStream::new(rx)
}
