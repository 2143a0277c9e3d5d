//! A server on a runtime of its own, whose tasks can be counted: the reliability tests compare that count (and the
//! probe's live handlers) with its baseline after faults. Serves either `hello::demo::server::serve` or the probe
//! service beside the demo service.

use crate::probe::{ProbeService, probe_server::ProbeServer};
use hello::demo::RouteGuide;
use hello::demo::hello_server::HelloServer;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

/// What a test server runs: the listener, and a future that completes when it must stop.
type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Limits of [`Served::probe`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request message.
    pub decode: usize,
    /// Largest response message.
    pub encode: usize,
    /// Concurrent streams (calls) per connection.
    pub streams: u32,
}

impl Default for Limits {
    /// As `hello-server`'s defaults: 4 MiB messages, 1024 streams per connection.
    fn default() -> Self {
        Limits {
            decode: hello::demo::server::DEFAULT_MAX_MESSAGE_SIZE,
            encode: hello::demo::server::DEFAULT_MAX_MESSAGE_SIZE,
            streams: hello::demo::server::DEFAULT_MAX_CONCURRENT_STREAMS,
        }
    }
}

/// A running server; stopped (and its runtime dropped) when dropped.
pub struct Served {
    addr: SocketAddr,
    handle: tokio::runtime::Handle,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Served {
    /// Runs `serve(listener, shutdown)` on a new two-thread runtime, on 127.0.0.1:0.
    pub fn start<F, Fut>(serve: F) -> Served
    where
        F: FnOnce(TcpListener, Shutdown) -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime for the server");
            let handle = runtime.handle().clone();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1:0");
                let addr = listener
                    .local_addr()
                    .expect("a bound listener has an address");
                ready_tx.send((addr, handle)).ok();
                serve(
                    listener,
                    Box::pin(async {
                        let _ = stopped.await;
                    }),
                )
                .await;
            });
        });
        let (addr, handle) = ready_rx
            .recv()
            .expect("the server thread reports its address or panics");
        Served {
            addr,
            handle,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `hello::demo::server::serve` with `config`: the real server, as `hello-server` runs it.
    pub fn hello(config: hello::demo::server::Config) -> Served {
        Served::start(move |listener, shutdown| async move {
            if let Err(e) = hello::demo::server::serve(config, listener, shutdown).await {
                panic!("hello::demo::server::serve failed: {e}");
            }
        })
    }

    /// The probe service and the demo service (both with `limits`) on tonic's server.
    pub fn probe(probe: ProbeService, limits: Limits) -> Served {
        Served::start(move |listener, shutdown| async move {
            let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
            let served = Server::builder()
                .max_concurrent_streams(limits.streams)
                .add_service(
                    ProbeServer::new(probe)
                        .max_decoding_message_size(limits.decode)
                        .max_encoding_message_size(limits.encode),
                )
                .add_service(
                    HelloServer::new(RouteGuide::default())
                        .max_decoding_message_size(limits.decode)
                        .max_encoding_message_size(limits.encode),
                )
                .serve_with_incoming_shutdown(incoming, shutdown)
                .await;
            if let Err(e) = served {
                panic!("the probe server failed: {e}");
            }
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:port`, for tonic clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Tasks alive on the server's runtime (connections, calls, and anything they spawned).
    pub fn tasks(&self) -> usize {
        self.handle.metrics().num_alive_tasks()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Waits until `now()` returns `want`, polling; a generous hang guard (not a timing assertion) ends the wait with
/// the last value seen.
pub fn settle(want: usize, mut now: impl FnMut() -> usize) -> Result<(), usize> {
    let guard = Instant::now() + Duration::from_secs(30);
    loop {
        let seen = now();
        if seen == want {
            return Ok(());
        }
        if Instant::now() > guard {
            return Err(seen);
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Resident memory of this process, in bytes (Linux `/proc/self/statm`).
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}
