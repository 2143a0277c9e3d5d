//! The demo served for a test: `hello::demo::server::serve`, as `hello-server` runs it, on 127.0.0.1:0 in the
//! test's runtime (testkit's [`Running`]). For a server on a runtime of its own, see [`crate::served::Served`].

use crate::process;
use hello::demo::hello_client::HelloClient;
use hello::demo::server::{Config, ServeError, TlsIdentity, serve};
use hello_testkit::Running;
use hello_testkit::pki::Pki;
use std::path::PathBuf;
use std::time::Duration;
use tonic::transport::Channel;

/// The demo server, running.
pub type Demo = Running<ServeError>;

/// `serve(config)` on 127.0.0.1:0; stop it with [`Running::stop`]. Each one has its own, empty, note store.
pub async fn start(config: Config) -> Demo {
    Running::serve(|listener, shutdown| serve(config, listener, shutdown)).await
}

/// The default configuration with a short grace period: a test that failed midway should not wait for its
/// calls at shutdown.
pub fn quick() -> Config {
    Config {
        grace_period: Duration::from_millis(200),
        ..Config::default()
    }
}

/// A generated client of any server under test.
pub trait HelloClientOf {
    /// A plaintext `HelloClient` connected to the server.
    fn client(&self) -> impl Future<Output = HelloClient<Channel>>;
}

impl<E: Send + 'static> HelloClientOf for Running<E> {
    async fn client(&self) -> HelloClient<Channel> {
        HelloClient::new(self.channel().await)
    }
}

/// The test certificate as the demo server's identity.
pub fn identity(pki: &Pki) -> TlsIdentity {
    TlsIdentity {
        cert_pem: pki.cert_pem.clone().into_bytes(),
        key_pem: pki.key_pem.clone().into_bytes(),
    }
}

/// The feature database the demo answers from by default: the one `hello` embeds.
pub fn features_json() -> PathBuf {
    process::repo_root().join("hello/data/features.json")
}
