//! [`ConnectService`]: tells a Connect request from the rest and translates it to gRPC and back; anything else
//! goes to the inner service untouched.

use crate::web::connect::request::{self, Route};
use crate::web::connect::{stream, unary};
use crate::web::methods::MethodTable;
use bytes::Bytes;
use http::header::HeaderValue;
use http::{Request, Response, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tonic::body::Body;
use tower_service::Service;

/// What every call of one layer shares.
#[derive(Debug)]
pub struct Shared {
    pub methods: MethodTable,
    pub max_message_size: usize,
}

/// Serves Connect in front of a gRPC service `S` (a tonic router, or one generated server).
#[derive(Debug, Clone)]
pub struct ConnectService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> ConnectService<S> {
    pub(crate) fn new(inner: S, shared: Arc<Shared>) -> Self {
        ConnectService { inner, shared }
    }

    /// The gRPC service behind, for requests that need no translation.
    pub(crate) fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }
}

/// The future of a call through [`ConnectService`].
pub type ConnectFuture<E> = Pin<Box<dyn Future<Output = Result<Response<Body>, E>> + Send>>;

impl<S, B, ResBody> Service<Request<B>> for ConnectService<S>
where
    S: Service<Request<Body>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<tonic::codegen::StdError>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = ConnectFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        // The ready service goes with this call; its clone waits for the next poll_ready.
        let clone = self.inner.clone();
        let inner = BodyMapped(std::mem::replace(&mut self.inner, clone));
        let shared = self.shared.clone();
        match request::route(req.method(), req.headers(), req.uri().query()) {
            route @ (Route::Unary { .. } | Route::Get) => {
                Box::pin(unary::call(inner, shared, req, route))
            }
            Route::Stream { json } => Box::pin(stream::call(inner, shared, req, json)),
            Route::Unsupported => Box::pin(async move {
                let answer = unsupported_media_type(req.headers());
                // Read what the client sends first: answering with the body unread resets the stream, which
                // clients such as curl report as an error instead of the 415.
                drain(Body::new(req.into_body()), UNSUPPORTED_BODY_LIMIT).await;
                Ok(answer)
            }),
            Route::Pass => {
                let mut inner = inner.0;
                Box::pin(async move { Ok(inner.call(req.map(Body::new)).await?.map(Body::new)) })
            }
        }
    }
}

/// The inner service with its response body as tonic's `Body`, the one type the translators read.
#[derive(Clone)]
struct BodyMapped<S>(S);

impl<S, ResBody> Service<Request<Body>> for BodyMapped<S>
where
    S: Service<Request<Body>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<tonic::codegen::StdError>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let future = self.0.call(req);
        Box::pin(async move { Ok(future.await?.map(Body::new)) })
    }
}

/// HTTP 415 for a POST whose content type is none of gRPC's, gRPC-Web's or Connect's, with `Accept-Post`,
/// and INTERNAL saying why for gRPC clients (as the generated servers answer it, PROTOCOL-HTTP2.md).
fn unsupported_media_type(headers: &http::HeaderMap) -> Response<Body> {
    let shown = match headers.get(http::header::CONTENT_TYPE) {
        Some(v) => format!("content-type {:?}", String::from_utf8_lossy(v.as_bytes())),
        None => "no content-type".to_owned(),
    };
    let status = tonic::Status::internal(format!(
        "{shown}: this server speaks gRPC (application/grpc), gRPC-Web (application/grpc-web) and Connect \
         (application/proto, application/json, application/connect+proto, application/connect+json)"
    ));
    let mut response = status.into_http::<Body>();
    *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    response
        .headers_mut()
        .insert(ACCEPT_POST, HeaderValue::from_static(ACCEPTED));
    response
}

/// How much of a refused request's body is read before answering; past it the stream is reset as before.
const UNSUPPORTED_BODY_LIMIT: usize = 64 << 10;

/// Reads and drops `body` until its end, an error, or `limit` bytes.
async fn drain(mut body: Body, limit: usize) {
    let mut read = 0;
    while read <= limit {
        match http_body_util::BodyExt::frame(&mut body).await {
            Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len()),
            _ => break,
        }
    }
}

const ACCEPT_POST: http::HeaderName = http::HeaderName::from_static("accept-post");

/// The content types a POST may have here.
const ACCEPTED: &str = "application/grpc, application/grpc-web, application/grpc-web-text, application/proto, \
                        application/json, application/connect+proto, application/connect+json";
