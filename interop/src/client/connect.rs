//! A channel to the server under test, in plaintext or TLS, as the interop client's flags describe it.

use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Uri};

/// Where and how to connect.
#[derive(Clone, Debug, Default)]
pub struct Connection {
    pub host: String,
    pub port: u16,
    /// Use TLS.
    pub tls: bool,
    /// The name to expect in the server's certificate and to send as `:authority` (default: `host`).
    pub host_override: Option<String>,
    /// PEM of the CA to trust instead of the platform's roots.
    pub ca_pem: Option<Vec<u8>>,
}

/// Connects now, so that an unreachable server is reported before any case runs.
pub async fn connect(c: &Connection) -> Result<Channel, Box<dyn std::error::Error + Send + Sync>> {
    let scheme = if c.tls { "https" } else { "http" };
    let host = if c.host.contains(':') {
        format!("[{}]", c.host)
    } else {
        c.host.clone()
    };
    let mut endpoint = Endpoint::from_shared(format!("{scheme}://{host}:{}", c.port))?;
    if let Some(name) = &c.host_override {
        let origin: Uri = format!("{scheme}://{name}:{}", c.port).parse()?;
        endpoint = endpoint.origin(origin);
    }
    if c.tls {
        let mut tls = ClientTlsConfig::new()
            .domain_name(c.host_override.clone().unwrap_or_else(|| c.host.clone()));
        tls = match &c.ca_pem {
            Some(pem) => tls.ca_certificate(Certificate::from_pem(pem)),
            None => tls.with_native_roots(),
        };
        endpoint = endpoint.tls_config(tls)?;
    }
    Ok(endpoint.connect().await?)
}
