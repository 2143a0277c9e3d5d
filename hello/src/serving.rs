//! The recommended server set-up: tonic's [`Server`] with HTTP/2 settings under which real clients at full speed
//! keep their connections, and a bound on the calls in flight, so that a server at ten times its capacity still
//! answers health checks and refuses the excess at once.
//!
//! ```
//! use hello::prelude::*;
//!
//! #[derive(Clone, PartialEq, prost::Message, Describe)]
//! #[describe(package = "ping.v1")]
//! pub struct Ping {
//!     #[prost(uint64, tag = "1")]
//!     pub n: u64,
//! }
//!
//! #[hello::service(package = "ping.v1")]
//! pub trait Pinger {
//!     async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
//! }
//!
//! struct Echo;
//!
//! #[hello::service]
//! impl Pinger for Echo {
//!     async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> {
//!         Ok(Response::new(request.into_inner()))
//!     }
//! }
//!
//! # async fn run(listener: tokio::net::TcpListener) -> Result<(), hello::transport::Error> {
//! hello::serving::server()
//!     .add_service(pinger_server::PingerServer::new(Echo))
//!     .serve_with_incoming(hello::transport::TcpIncoming::from(listener))
//!     .await
//! # }
//! # fn main() {}
//! ```
//!
//! # Why these settings
//!
//! **Small messages at full speed.** h2 (0.4.16 and later, RUSTSEC-2026-0258) bounds what a peer can make the server
//! hold with tiny DATA frames: each DATA frame of fewer than 256 bytes buffered and not yet read by the handler costs
//! 256 minus its length against a per-connection budget of half the connection window (at least 25,600); past it,
//! the connection is closed with GOAWAY ENHANCE_YOUR_CALM "too_many_data_frames". hyper does not let a server set
//! that budget, only the windows. grpcio and grpc-js send each message in a DATA frame of its own, so a handler
//! that falls behind (it is waiting for its own output to be read, or the machine is busy) leaves as many frames
//! buffered as the stream's flow-control window lets the client send. With hyper's defaults (1 MiB windows, a
//! 512 KiB budget), about 3,700 buffered 110-byte messages, or 2,200 buffered 10-byte ones, closed the connection.
//!
//! A stream's window of `S` bytes in frames of `p` bytes costs at most `S * (256 - p) / p` of the budget. So the
//! settings here keep the stream window at HTTP/2's and gRPC's usual 64 KiB and make the connection window large,
//! 16 MiB (grpc-go's ceiling for its own window), for a budget of 8 MiB: a stream whose handler has stopped reading
//! holds at most 1 MiB of budget in 15-byte messages (the smallest with content: 5 bytes of gRPC prefix, a
//! 10-byte message), 80 KiB in 110-byte ones. Eight streams of the smallest messages, or over a hundred of
//! 110-byte ones, can be backed up at once on one connection without losing it, and a stream that is read goes
//! at full speed whatever its messages. The price: a peer that sends 1-byte frames to a stream that is not read
//! is allowed about 33,000 of them (8 MiB of budget) before its connection is closed, and HTTP/2's own 100-frame
//! bound on empty DATA frames is unchanged. Adaptive windows (BDP) stay off: they raise the stream window to the
//! connection's, which shrinks that ratio back to the failing one.
//!
//! **Overload.** A server pushed past its capacity must stay useful: calls beyond [`Settings::max_calls_in_flight`]
//! (all connections together) are refused at once, trailers-only, with RESOURCE_EXHAUSTED (never queued), while
//! health checks (`grpc.health.v1.Health`) are never refused, so a load balancer does not take a busy replica
//! for a dead one. A call counts until its response headers (its handler's answer, a stream's first message, or a
//! bidirectional handler waiting a moment for requests).
//! On each connection, tower's concurrency limit and load shedding (tonic's
//! [`concurrency_limit_per_connection`](Server::concurrency_limit_per_connection) and
//! [`load_shed`](Server::load_shed)) keep one connection from taking every slot: RESOURCE_EXHAUSTED beyond
//! [`Settings::max_calls_per_connection`].
//!
//! **The lean path.** [`serve`] runs a stack of services on hyper directly, with these settings, and [`Routes`]
//! chooses among the services of a port by name: what tonic's `transport::Server` does per connection (HTTP/2
//! and HTTP/1.1 on one port, the peer's address in each request, a graceful shutdown) without its per-call
//! layers (a boxed service and request body, its timeout and error-recovery layers, the axum router). The demo
//! server runs on it; a generated server runs on tonic's server as well, unchanged. On GetFeature it takes the
//! server from 58.5k to 49.8k instructions per call (BENCHMARKS.md).
//!
//! ```no_run
//! # use hello::prelude::*;
//! # #[derive(Clone, PartialEq, prost::Message, Describe)]
//! # #[describe(package = "ping.v1")]
//! # pub struct Ping { #[prost(uint64, tag = "1")] pub n: u64 }
//! # #[hello::service(package = "ping.v1")]
//! # pub trait Pinger { async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>; }
//! # struct Echo;
//! # #[hello::service]
//! # impl Pinger for Echo {
//! #     async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> { Ok(Response::new(request.into_inner())) }
//! # }
//! # async fn run(listener: tokio::net::TcpListener) {
//! use hello::serving::{AdmissionLayer, Routes, Settings};
//! use tower::Layer;
//!
//! let settings = Settings::default();
//! let routes = Routes::new().add_service(pinger_server::PingerServer::new(Echo));
//! let service = AdmissionLayer::new(settings.max_calls_in_flight).layer(routes);
//! let incoming = hello::transport::TcpIncoming::from(listener);
//! hello::serving::serve(&settings, incoming, service, std::future::pending()).await;
//! # }
//! # fn main() {}
//! ```
//!
//! **Dead peers.** HTTP/2 keepalive pings every 60 s, a connection whose peer does not answer within 20 s is
//! closed, so a vanished client does not hold its streams forever.

mod admission;
mod routes;
mod serve;
mod timeout;

pub use crate::call::EagerHeaders;

pub use admission::{Admission, AdmissionLayer};
pub use routes::{Routes, Unrouted};
pub use serve::serve;
pub use timeout::RequestTimeout;

use std::time::Duration;
use tonic::transport::Server;
use tower::layer::util::{Identity, Stack};

/// The stream window: HTTP/2's default, and where gRPC's own implementations start.
pub const STREAM_WINDOW: u32 = 64 << 10;
/// The connection window: h2's small-frame budget is half of it (8 MiB).
pub const CONNECTION_WINDOW: u32 = 16 << 20;
/// Streams (calls) at once on one connection.
pub const MAX_CONCURRENT_STREAMS: u32 = 1024;
/// Calls in flight in the whole server before the excess is refused.
pub const MAX_CALLS_IN_FLIGHT: usize = 2048;
/// Calls in flight on one connection before its excess is refused.
pub const MAX_CALLS_PER_CONNECTION: usize = 1024;

/// The recommended set-up's knobs; [`Settings::default`] holds the values the module's docs explain.
///
/// Change one by struct update: `Settings { max_calls_in_flight: 500, ..Settings::default() }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE: bytes a client may send on one stream before the handler reads them.
    pub stream_window: u32,
    /// HTTP/2 connection window: bytes a client may send on all streams of a connection before they are read;
    /// h2 closes a connection holding more than half of it in small frames.
    pub connection_window: u32,
    /// HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS.
    pub max_concurrent_streams: u32,
    /// Calls (all connections together) being handled at once before more are refused with RESOURCE_EXHAUSTED;
    /// health checks are not counted, nor refused.
    pub max_calls_in_flight: usize,
    /// Calls on one connection being handled at once before more are refused with RESOURCE_EXHAUSTED.
    pub max_calls_per_connection: usize,
    /// HTTP/2 PING every so often on an idle connection.
    pub keepalive_interval: Duration,
    /// A connection whose peer does not answer a PING within this is closed.
    pub keepalive_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            stream_window: STREAM_WINDOW,
            connection_window: CONNECTION_WINDOW,
            max_concurrent_streams: MAX_CONCURRENT_STREAMS,
            max_calls_in_flight: MAX_CALLS_IN_FLIGHT,
            max_calls_per_connection: MAX_CALLS_PER_CONNECTION,
            keepalive_interval: Duration::from_secs(60),
            keepalive_timeout: Duration::from_secs(20),
        }
    }
}

/// The server builder these settings give: tonic's, with the admission layer outermost.
pub type RecommendedServer = Server<Stack<AdmissionLayer, Identity>>;

impl Settings {
    /// A tonic server builder with these settings; add services (and layers, TLS, a timeout) to it as usual.
    pub fn server(&self) -> RecommendedServer {
        Server::builder()
            .initial_stream_window_size(self.stream_window)
            .initial_connection_window_size(self.connection_window)
            .http2_adaptive_window(Some(false))
            .max_concurrent_streams(self.max_concurrent_streams)
            .concurrency_limit_per_connection(self.max_calls_per_connection)
            .load_shed(true)
            .http2_keepalive_interval(Some(self.keepalive_interval))
            .http2_keepalive_timeout(Some(self.keepalive_timeout))
            .tcp_nodelay(true)
            .layer(AdmissionLayer::new(self.max_calls_in_flight))
    }
}

/// [`Settings::default`]'s server builder: `hello::serving::server().add_service(...)`.
pub fn server() -> RecommendedServer {
    Settings::default().server()
}
