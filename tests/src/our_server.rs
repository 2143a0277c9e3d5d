//! Our server in-process: `hello::demo::server::serve` with the default configuration (the embedded feature database)
//! on 127.0.0.1:0, on a thread of its own with its own runtime, so sync and async tests alike can use it.

use crate::process;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use tokio::sync::oneshot;

/// A running server; stopped when dropped. Each one has its own, empty, note store.
pub struct OurServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl OurServer {
    pub fn start() -> OurServer {
        let (addr_tx, addr_rx) = mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime for the server");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1:0");
                addr_tx
                    .send(
                        listener
                            .local_addr()
                            .expect("a bound listener has an address"),
                    )
                    .ok();
                // A short grace period: a test that failed midway should not wait for its calls at shutdown.
                let config = hello::demo::server::Config {
                    grace_period: Duration::from_millis(200),
                    ..Default::default()
                };
                let shutdown = async {
                    let _ = stopped.await;
                };
                if let Err(e) = hello::demo::server::serve(config, listener, shutdown).await {
                    panic!("hello::demo::server::serve failed: {e}");
                }
            });
        });
        let addr = addr_rx
            .recv()
            .expect("the server thread reports its address or panics");
        OurServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:port`, for tonic clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The feature database it answers from: the one `hello` embeds.
    pub fn features_json() -> PathBuf {
        process::repo_root().join("hello/data/features.json")
    }
}

impl Drop for OurServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
