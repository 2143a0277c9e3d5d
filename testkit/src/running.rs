//! A server on 127.0.0.1:0 as a task of the test's own runtime.

use crate::{HANG_GUARD, LOCALHOST_ANY_PORT};
use std::fmt::Debug;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::server::{Router, TcpIncoming};
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};

/// The future a serve function is handed: it completes when the server must shut down.
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A running server. [`Running::stop`] asks it to shut down and waits until it has; dropping it only asks.
pub struct Running<E = tonic::transport::Error> {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), E>>,
}

impl<E: Send + 'static> Running<E> {
    /// Binds 127.0.0.1:0 and spawns `serve(listener, shutdown)`: any server that takes a listener and a shutdown
    /// future, as `hello::demo::server::serve` does.
    pub async fn serve<F, Fut>(serve: F) -> Running<E>
    where
        F: FnOnce(TcpListener, Shutdown) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
    {
        let listener = TcpListener::bind(LOCALHOST_ANY_PORT)
            .await
            .unwrap_or_else(|e| panic!("bind {LOCALHOST_ANY_PORT}: {e}"));
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown: Shutdown = Box::pin(async {
            // A dropped sender stops the server too.
            let _ = stopped.await;
        });
        let task = tokio::spawn(serve(listener, shutdown));
        Running {
            addr,
            stop: Some(stop),
            task,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:port`, for tonic clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `https://127.0.0.1:port`.
    pub fn https_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// A plaintext connection to the server.
    pub async fn channel(&self) -> Channel {
        connect(Endpoint::from_shared(self.url()).expect("a valid URL")).await
    }

    /// A TLS connection to the server, with `tls` (see [`crate::pki::Pki::client_tls`]).
    pub async fn tls_channel(&self, tls: ClientTlsConfig) -> Channel {
        let endpoint = Endpoint::from_shared(self.https_url())
            .expect("a valid URL")
            .tls_config(tls)
            .expect("a valid client TLS configuration");
        connect(endpoint).await
    }

    /// Asks for shutdown, without waiting.
    pub fn request_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Whether the serve function has returned.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Waits for the serve function to return (after [`Running::request_stop`]) and gives what it returned;
    /// panics if it panicked or hangs past [`HANG_GUARD`].
    pub async fn finished(&mut self) -> Result<(), E> {
        tokio::time::timeout(HANG_GUARD, &mut self.task)
            .await
            .expect("the server returns")
            .expect("the server task does not panic")
    }

    /// Asks for shutdown and waits for the server to end; panics if it ended with an error.
    pub async fn stop(mut self)
    where
        E: Debug,
    {
        self.request_stop();
        if let Err(e) = self.finished().await {
            panic!("the server failed: {e:?}");
        }
    }
}

impl Running<tonic::transport::Error> {
    /// Serves a tonic router (built with `Server::builder()`, TLS included) on 127.0.0.1:0.
    pub async fn router(router: Router) -> Running {
        Running::serve(|listener, shutdown| {
            router.serve_with_incoming_shutdown(incoming(listener), shutdown)
        })
        .await
    }
}

/// The listener as tonic's incoming connections, with Nagle's algorithm off as tonic's own `serve` sets it.
pub fn incoming(listener: TcpListener) -> TcpIncoming {
    TcpIncoming::from(listener).with_nodelay(Some(true))
}

async fn connect(endpoint: Endpoint) -> Channel {
    let uri = endpoint.uri().clone();
    tokio::time::timeout(HANG_GUARD, endpoint.connect())
        .await
        .unwrap_or_else(|_| panic!("connecting to {uri} hangs"))
        .unwrap_or_else(|e| panic!("connect to {uri}: {e:?}"))
}
