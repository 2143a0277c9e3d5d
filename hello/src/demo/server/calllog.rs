//! A tower layer that logs one line per call at debug: method, gRPC status, duration.
//!
//! The status of a streaming or unary reply is in the trailers, after the body, so the line is written when the
//! response body is finished or dropped, not when the handler returns.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Instant;
use tonic::body::Body;
use tonic::codegen::Service;
use tonic::codegen::http::{self, HeaderMap};

/// Wraps a service so that each call is logged (target `hello::call`, level debug).
#[derive(Debug, Clone, Copy, Default)]
pub struct CallLogLayer;

impl<S> tower_layer::Layer<S> for CallLogLayer {
    type Service = CallLog<S>;

    fn layer(&self, inner: S) -> CallLog<S> {
        CallLog { inner }
    }
}

/// See [`CallLogLayer`].
#[derive(Debug, Clone)]
pub struct CallLog<S> {
    inner: S,
}

/// One call being served; logs itself when dropped, so a cancelled call is logged too.
#[derive(Debug)]
struct Record {
    method: String,
    started: Instant,
    status: Option<tonic::Code>,
}

impl Record {
    fn note(&mut self, headers: &HeaderMap) {
        if let Some(v) = headers.get("grpc-status") {
            self.status = Some(tonic::Code::from_bytes(v.as_bytes()));
        }
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        let elapsed = self.started.elapsed();
        match self.status {
            Some(code) => tracing::debug!(
                target: "hello::call",
                method = %self.method, status = ?code, duration = ?elapsed, "call"
            ),
            None => tracing::debug!(
                target: "hello::call",
                method = %self.method, status = "unfinished", duration = ?elapsed, "call"
            ),
        }
    }
}

impl<S, B> Service<http::Request<B>> for CallLog<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>>,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = LoggedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        // Only pay for the record (a String) when the line would be written.
        let record =
            tracing::enabled!(target: "hello::call", tracing::Level::DEBUG).then(|| Record {
                method: req.uri().path().to_owned(),
                started: Instant::now(),
                status: None,
            });
        LoggedFuture {
            inner: self.inner.call(req),
            record,
        }
    }
}

pin_project! {
    /// The future of a [`CallLog`] call.
    pub struct LoggedFuture<F> {
        #[pin]
        inner: F,
        record: Option<Record>,
    }
}

impl<F, E> Future for LoggedFuture<F>
where
    F: Future<Output = Result<http::Response<Body>, E>>,
{
    type Output = Result<http::Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = ready!(this.inner.poll(cx))?;
        // Logging off: the body as it is (no wrapper, no allocation).
        let Some(mut record) = this.record.take() else {
            return Poll::Ready(Ok(response));
        };
        // A trailers-only reply (an error before any message) carries its status in the headers.
        record.note(response.headers());
        let record = Some(record);
        Poll::Ready(Ok(
            response.map(|inner| Body::new(LoggedBody { inner, record }))
        ))
    }
}

pin_project! {
    /// A response body that notes the gRPC status in its trailers.
    pub struct LoggedBody<B> {
        #[pin]
        inner: B,
        record: Option<Record>,
    }
}

impl<B: http_body::Body> http_body::Body for LoggedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<B::Data>, B::Error>>> {
        let this = self.project();
        let frame = ready!(this.inner.poll_frame(cx));
        if let (Some(Ok(frame)), Some(record)) = (&frame, this.record.as_mut())
            && let Some(trailers) = frame.trailers_ref()
        {
            record.note(trailers);
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
