//! Helpers shared by hello's integration tests: servers on 127.0.0.1:0, certificates made on the spot,
//! scratch files. Every wait is bounded by a generous hang guard, so a hang fails instead of stalling CI.

#![allow(dead_code)]

use hello::demo::hello_client::HelloClient;
use hello::demo::server::{Config, ServeError, TlsIdentity, serve};
use std::path::PathBuf;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

/// Not a timing assertion: the bound after which a test that should long have finished is declared hung.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// `hello::demo::server::serve` on 127.0.0.1:0 in a task; `stop` asks it to shut down.
pub struct Running {
    pub addr: std::net::SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<Result<(), ServeError>>,
}

impl Running {
    pub async fn start(config: Config) -> Running {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(config, listener, async {
            let _ = stopped.await;
        }));
        Running {
            addr,
            stop: Some(stop),
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn client(&self) -> HelloClient<Channel> {
        HelloClient::connect(self.url()).await.unwrap()
    }

    /// Asks for shutdown, without waiting.
    pub fn request_stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }

    /// Asks for shutdown and waits for `serve` to return.
    pub async fn stop(mut self) {
        self.request_stop();
        tokio::time::timeout(HANG_GUARD, &mut self.task)
            .await
            .expect("serve returns")
            .unwrap()
            .unwrap();
    }
}

pub fn quick() -> Config {
    Config {
        grace_period: Duration::from_millis(300),
        ..Config::default()
    }
}

/// A test CA and a server certificate it signed for `localhost` and `127.0.0.1`, all PEM.
pub struct TestPki {
    pub ca_pem: String,
    pub server: TlsIdentity,
}

pub fn make_pki() -> TestPki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "hello test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    TestPki {
        ca_pem: ca_cert.pem(),
        server: TlsIdentity {
            cert_pem: cert.pem().into_bytes(),
            key_pem: key.serialize_pem().into_bytes(),
        },
    }
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hello-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
