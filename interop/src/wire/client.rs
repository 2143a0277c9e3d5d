//! The client side: a channel wrapper that, for a call whose request carries a [`CallWire`] in its extensions,
//! sends single request messages uncompressed as asked and records how each response message came, with the
//! response headers and trailers.

use super::CallWire;
use super::body::{Direction, Framed};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tonic::body::Body;
use tonic::codegen::Service;
use tonic::codegen::http::{self, HeaderMap};

/// A channel (any tonic client transport) that shows the cases the wire; generated clients take it as their
/// transport: `TestServiceClient::new(WireChannel::new(channel))`.
#[derive(Clone, Debug)]
pub struct WireChannel<S> {
    inner: S,
}

impl<S> WireChannel<S> {
    pub fn new(inner: S) -> Self {
        WireChannel { inner }
    }
}

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

impl<S> Service<http::Request<Body>> for WireChannel<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let Some(wire) = request.extensions().get::<CallWire>().cloned() else {
            return Box::pin(self.inner.call(request));
        };
        let gzip = request
            .headers()
            .get("grpc-encoding")
            .is_some_and(|e| e == "gzip");
        let outgoing = Direction::Outgoing { gzip };
        let request = request
            .map(|body| Body::new(Framed::new(body, wire.clone(), outgoing, HeaderMap::new())));
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            wire.set_headers(response.headers());
            Ok(response.map(|body| {
                Body::new(Framed::new(
                    body,
                    wire,
                    Direction::Incoming,
                    HeaderMap::new(),
                ))
            }))
        })
    }
}
