//! [`WebLayer`]: CORS around Connect around gRPC-Web (tonic-web) around the gRPC service.

use crate::web::config::WebConfig;
use crate::web::connect::{ConnectService, Shared};
use crate::web::cors;
use crate::web::methods::MethodTable;
use futures_util::future::Either;
use http::{Request, Response};
use std::sync::Arc;
use std::task::{Context, Poll};
use tonic::body::Body;
use tonic_web::{GrpcWebLayer, GrpcWebService};
use tower_http::cors::{Cors, CorsLayer};
use tower_layer::Layer;
use tower_service::Service;

/// The service [`WebLayer`] makes of a gRPC service `S`: CORS around Connect around gRPC-Web around `S`, with
/// plain gRPC requests sent past CORS and Connect's translation, which they never need.
#[derive(Debug, Clone)]
pub struct WebService<S> {
    web: Web<S>,
}

/// Serves gRPC-Web and Connect, with CORS, in front of a gRPC service: put it around a whole tonic router so
/// that every service on the port (health and reflection too) speaks the three protocols.
#[derive(Debug, Clone)]
pub struct WebLayer {
    shared: Arc<Shared>,
    cors: CorsLayer,
}

/// Why a [`WebConfig`] cannot be served: its descriptors contradict one another.
#[derive(Debug, Clone)]
pub struct WebError(String);

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot serve JSON: {}", self.0)
    }
}

impl std::error::Error for WebError {}

impl WebError {
    // For the demo's page layer (feature `demo`).
    #[cfg_attr(not(feature = "demo"), allow(dead_code))]
    pub(crate) fn new(why: String) -> Self {
        WebError(why)
    }
}

impl WebLayer {
    /// The layer for `config`.
    pub fn new(config: WebConfig) -> Result<WebLayer, WebError> {
        let methods = MethodTable::build(&config.services, &config.sets).map_err(WebError)?;
        Ok(WebLayer {
            shared: Arc::new(Shared {
                methods,
                max_message_size: config.max_message_size,
            }),
            cors: cors::layer(&config.origins),
        })
    }
}

impl<S> Layer<S> for WebLayer {
    type Service = WebService<S>;

    fn layer(&self, inner: S) -> WebService<S> {
        let grpc_web = GrpcWebLayer::new().layer(inner);
        WebService {
            web: self
                .cors
                .layer(ConnectService::new(grpc_web, self.shared.clone())),
        }
    }
}

type Web<S> = Cors<ConnectService<GrpcWebService<S>>>;

impl<S, B> Service<Request<B>> for WebService<S>
where
    S: Service<Request<Body>>,
    Web<S>: Service<Request<B>, Response = Response<Body>, Error = S::Error>,
    GrpcWebService<S>: Service<Request<B>, Response = Response<Body>, Error = S::Error>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Either<
        <GrpcWebService<S> as Service<Request<B>>>::Future,
        <Web<S> as Service<Request<B>>>::Future,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.web.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        if is_plain_grpc(req.headers()) {
            // gRPC over HTTP/2 is never a browser's (fetch has no trailers) nor cached: it needs neither CORS
            // (whose `vary` headers would go out on every answer) nor Connect's look at the request.
            Either::Left(self.web.get_mut().get_mut().call(req))
        } else {
            Either::Right(self.web.call(req))
        }
    }
}

/// `application/grpc` or `application/grpc+proto` (and the like), not gRPC-Web's `application/grpc-web...`.
fn is_plain_grpc(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.as_bytes().strip_prefix(b"application/grpc"))
        .is_some_and(|rest| rest.is_empty() || rest[0] == b'+' || rest[0] == b';')
}
