//! [`PageLayer`]: answers `GET /` (and `/app.js`) with the embedded page; every other request goes on.

use futures_util::future::{Either, Ready, ready};
use http::header::{self, HeaderValue};
use http::{Method, Request, Response};
use std::task::{Context, Poll};
use tonic::body::Body;
use tower_layer::Layer;
use tower_service::Service;

const INDEX_HTML: &str = include_str!("index.html");
const APP_JS: &str = include_str!("app.js");

/// Serves the demo page in front of `S`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageLayer;

impl<S> Layer<S> for PageLayer {
    type Service = PageService<S>;

    fn layer(&self, inner: S) -> PageService<S> {
        PageService { inner }
    }
}

/// See [`PageLayer`].
#[derive(Debug, Clone)]
pub struct PageService<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for PageService<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Either<Ready<Result<Response<Body>, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let page = match (req.method(), req.uri().path()) {
            (&Method::GET | &Method::HEAD, "/" | "/index.html") => {
                Some((INDEX_HTML, "text/html; charset=utf-8"))
            }
            (&Method::GET | &Method::HEAD, "/app.js") => {
                Some((APP_JS, "text/javascript; charset=utf-8"))
            }
            _ => None,
        };
        match page {
            Some((text, content_type)) => Either::Left(ready(Ok(file(text, content_type)))),
            None => Either::Right(self.inner.call(req)),
        }
    }
}

fn file(text: &'static str, content_type: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::new(http_body_util::Full::new(
        bytes::Bytes::from_static(text.as_bytes()),
    )));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
