//! The server side: a tower layer over every route that echoes the metadata the interop cases send, and puts a
//! [`CallWire`] on each call so the handler can see how each request message came and ask how each response
//! message goes.

use super::body::{Direction, Framed};
use super::{CallWire, ECHO_INITIAL, ECHO_TRAILING_BIN};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tonic::body::Body;
use tonic::codegen::Service;
use tonic::codegen::http::{self, HeaderMap, HeaderName};

/// Wraps every route of a tonic server in [`EchoMetadata`].
#[derive(Clone, Copy, Debug, Default)]
pub struct WireLayer;

impl<S> tower_layer::Layer<S> for WireLayer {
    type Service = EchoMetadata<S>;

    fn layer(&self, inner: S) -> EchoMetadata<S> {
        EchoMetadata { inner }
    }
}

/// The interop server's "Echo Metadata" feature, and the [`CallWire`] of each call in its request extensions.
#[derive(Clone, Debug)]
pub struct EchoMetadata<S> {
    inner: S,
}

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

impl<S> Service<http::Request<Body>> for EchoMetadata<S>
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
        let echo_initial = request.headers().get(ECHO_INITIAL).cloned();
        let echo_trailing = request.headers().get(ECHO_TRAILING_BIN).cloned();
        let wire = CallWire::default();
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(wire.clone());
        let body = Body::new(Framed::new(
            body,
            wire.clone(),
            Direction::Incoming,
            HeaderMap::new(),
        ));
        let response = self.inner.call(http::Request::from_parts(parts, body));
        Box::pin(async move {
            let mut response = response.await?;
            let headers = response.headers_mut();
            if let Some(value) = echo_initial {
                headers.insert(HeaderName::from_static(ECHO_INITIAL), value);
            }
            let mut trailers = HeaderMap::new();
            if let Some(value) = echo_trailing {
                // A call that fails at once ends in its headers ("trailers-only"): the trailer goes there.
                let name = HeaderName::from_static(ECHO_TRAILING_BIN);
                if headers.contains_key("grpc-status") {
                    headers.insert(name, value);
                } else {
                    trailers.insert(name, value);
                }
            }
            let gzip = headers.get("grpc-encoding").is_some_and(|e| e == "gzip");
            let direction = Direction::Outgoing { gzip };
            Ok(response.map(|body| Body::new(Framed::new(body, wire, direction, trailers))))
        })
    }
}
