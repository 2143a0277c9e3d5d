//! A server on a runtime of its own, whose tasks can be counted (testkit's `OnThread`): the reliability tests
//! compare that count (and the probe's live handlers) with its baseline after faults. Serves either
//! `hello::demo::server::serve` or the probe service beside the demo service; sync tests use it too.

use crate::probe::{ProbeService, probe_server::ProbeServer};
use hello::demo::RouteGuide;
use hello::demo::hello_server::HelloServer;
use hello_testkit::{OnThread, Shutdown};
use std::future::Future;
use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tonic::transport::Server;

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

/// A running server on a runtime of its own (testkit's [`OnThread`]); stopped (and its runtime dropped) when
/// dropped.
pub struct Served(OnThread);

impl Served {
    /// Runs `serve(listener, shutdown)` on a new two-thread runtime, on 127.0.0.1:0.
    pub fn start<F, Fut>(serve: F) -> Served
    where
        F: FnOnce(TcpListener, Shutdown) -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        Served(OnThread::start(serve))
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
        Served(OnThread::router(
            Server::builder()
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
                ),
        ))
    }

    pub fn addr(&self) -> SocketAddr {
        self.0.addr()
    }

    /// `http://127.0.0.1:port`, for tonic clients.
    pub fn url(&self) -> String {
        self.0.url()
    }

    /// Tasks alive on the server's runtime (connections, calls, and anything they spawned).
    pub fn tasks(&self) -> usize {
        self.0.tasks()
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
