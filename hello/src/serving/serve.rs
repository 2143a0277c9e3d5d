//! [`serve`]: a tower service on hyper directly, with the recommended settings: what tonic's `transport::Server`
//! does per connection (HTTP/2 and HTTP/1.1 on one port, the connection's address in each request, a graceful
//! shutdown), without its per-call layers (a boxed service, a boxed request body, its timeout and error
//! recovery layers, and the axum router), which a stack of generated servers does not need.

use super::Settings;
use futures_util::StreamExt;
use futures_util::future::Either;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::cell::RefCell;
use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_stream::Stream;
use tonic::body::Body;
use tonic::transport::server::Connected;
use tower::{Service, ServiceExt};

/// Serves `service` on each connection `incoming` yields until `signal` completes; then stops accepting, tells
/// every connection to go (HTTP/2 GOAWAY; HTTP/1.1 closes after its call) and returns when they have all closed.
///
/// Each request carries its connection's [`Connected::connect_info`] in its extensions, as with tonic's server,
/// so `Request::remote_addr` works. A connection that fails is closed alone; accepting goes on.
pub async fn serve<I, IO, IE, S>(
    settings: &Settings,
    incoming: I,
    service: S,
    signal: impl Future<Output = ()>,
) where
    I: Stream<Item = Result<IO, IE>>,
    IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
    S: Service<http::Request<Incoming>, Response = http::Response<Body>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let builder = connection_builder(settings);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    {
        let mut incoming = pin!(incoming);
        let mut signal = pin!(signal);
        loop {
            let io = tokio::select! {
                () = &mut signal => break,
                io = incoming.next() => match io {
                    Some(Ok(io)) => io,
                    // A connection that failed before it was accepted (a TLS handshake, a reset) concerns only itself.
                    Some(Err(_)) => continue,
                    None => break,
                },
            };
            let per_connection = PerConnection {
                info: io.connect_info(),
                service: RefCell::new(service.clone()),
            };
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(io), per_connection)
                .into_owned();
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                // A connection's own failure (a peer gone, a protocol error) ends only that connection.
                let _ = connection.await;
            });
        }
        // `incoming` goes here: the listening socket closes before the drain, so no new client waits on it.
    }
    graceful.shutdown().await;
}

/// hyper's connection settings from `settings`: those tonic's server makes from its builder.
fn connection_builder(settings: &Settings) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http2()
        .timer(TokioTimer::new())
        .initial_stream_window_size(settings.stream_window)
        .initial_connection_window_size(settings.connection_window)
        .adaptive_window(false)
        .max_concurrent_streams(settings.max_concurrent_streams)
        .keep_alive_interval(settings.keepalive_interval)
        .keep_alive_timeout(settings.keepalive_timeout);
    // hyper enforces its HTTP/1 header read timeout only with a timer.
    builder.http1().timer(TokioTimer::new());
    builder
}

/// The service of one connection: each request gets the connection's address, then goes to the connection's
/// own copy of the service when that is ready (generated servers always are), or else to a clone made ready
/// first, as tower asks. Copying the whole stack (CORS settings and all) for every call would cost more than the
/// call's routing.
struct PerConnection<S, C> {
    info: C,
    // hyper calls a connection's service from that connection's task alone, one call at a time.
    service: RefCell<S>,
}

impl<S, C> hyper::service::Service<http::Request<Incoming>> for PerConnection<S, C>
where
    S: Service<http::Request<Incoming>, Response = http::Response<Body>, Error = Infallible>
        + Clone,
    C: Clone + Send + Sync + 'static,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = Either<S::Future, tower::util::Oneshot<S, http::Request<Incoming>>>;

    fn call(&self, mut request: http::Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(self.info.clone());
        let mut service = self.service.borrow_mut();
        match service.poll_ready(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(())) => Either::Left(service.call(request)),
            Poll::Pending => Either::Right(service.clone().oneshot(request)),
        }
    }
}
