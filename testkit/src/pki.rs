//! Certificates made on the spot: a test CA, and a server certificate it signed for `localhost` and `127.0.0.1`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

/// A test CA and the server certificate it signed, all PEM.
#[derive(Debug, Clone)]
pub struct Pki {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
}

impl Pki {
    /// A new CA and server certificate; each call makes new keys.
    pub fn new() -> Pki {
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "hello test CA");
        let ca_cert = ca_params.self_signed(&ca_key).expect("a self-signed CA");
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().expect("a server key");
        let params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("server certificate parameters");
        let cert = params
            .signed_by(&key, &issuer)
            .expect("a server certificate");
        Pki {
            ca_pem: ca_cert.pem(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    /// The server's side: its certificate and key.
    pub fn server_tls(&self) -> ServerTlsConfig {
        ServerTlsConfig::new().identity(Identity::from_pem(&self.cert_pem, &self.key_pem))
    }

    /// A client's side: trusts the test CA only.
    pub fn client_tls(&self) -> ClientTlsConfig {
        ClientTlsConfig::new().ca_certificate(Certificate::from_pem(&self.ca_pem))
    }
}

impl Default for Pki {
    fn default() -> Self {
        Pki::new()
    }
}
