//! [`RequestTimeout`]: a server-wide bound on how long a call may take to produce its response headers, answered
//! as tonic's server answers its own `timeout`: CANCELLED, "Timeout expired".

use pin_project_lite::pin_project;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;
use tonic::Status;
use tonic::body::Body;
use tower::Service;

/// Ends each call of `inner` that has not answered within `timeout` (no bound, and no timer, if `None`).
#[derive(Debug, Clone)]
pub struct RequestTimeout<S> {
    inner: S,
    timeout: Option<Duration>,
}

impl<S> RequestTimeout<S> {
    /// `inner`, its calls bounded by `timeout`.
    pub fn new(inner: S, timeout: Option<Duration>) -> Self {
        RequestTimeout { inner, timeout }
    }
}

impl<S, B> Service<http::Request<B>> for RequestTimeout<S>
where
    S: Service<http::Request<B>, Response = http::Response<Body>, Error = Infallible>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = TimeoutFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        TimeoutFuture {
            call: self.inner.call(request),
            sleep: self.timeout.map(tokio::time::sleep),
        }
    }
}

pin_project! {
    /// The future of [`RequestTimeout`].
    pub struct TimeoutFuture<F> {
        #[pin]
        call: F,
        #[pin]
        sleep: Option<Sleep>,
    }
}

impl<F> Future for TimeoutFuture<F>
where
    F: Future<Output = Result<http::Response<Body>, Infallible>>,
{
    type Output = Result<http::Response<Body>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(response) = this.call.poll(cx) {
            return Poll::Ready(response);
        }
        match this.sleep.as_pin_mut() {
            Some(sleep) => sleep
                .poll(cx)
                .map(|()| Ok(Status::cancelled("Timeout expired").into_http())),
            None => Poll::Pending,
        }
    }
}
