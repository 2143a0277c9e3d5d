//! A bound on the calls being handled in the whole server: past it, a call is refused at once with
//! RESOURCE_EXHAUSTED (trailers-only), never queued; health checks always pass.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::Status;
use tonic::body::Body;
use tower::Service;

/// Paths never refused: a load balancer's health check must see a busy server as busy, not as dead.
const HEALTH: &str = "/grpc.health.v1.Health/";

/// The layer of [`Admission`]; its clones share one count, so add it once, to the whole server.
#[derive(Debug, Clone)]
pub struct AdmissionLayer {
    permits: Arc<Semaphore>,
    limit: usize,
    // The refusal's headers, made once: a refused call costs a copy of them, no formatting or encoding.
    refusal: Arc<http::HeaderMap>,
}

impl AdmissionLayer {
    /// At most `limit` calls (health checks aside) handled at once.
    pub fn new(limit: usize) -> AdmissionLayer {
        let refusal = Status::resource_exhausted(format!(
            "server overloaded: {limit} calls in flight; try again later"
        ))
        .into_http::<Body>()
        .into_parts()
        .0
        .headers;
        AdmissionLayer {
            permits: Arc::new(Semaphore::new(limit.min(Semaphore::MAX_PERMITS))),
            limit,
            refusal: Arc::new(refusal),
        }
    }

    /// Calls being handled now (health checks aside).
    pub fn in_flight(&self) -> usize {
        self.limit
            .min(Semaphore::MAX_PERMITS)
            .saturating_sub(self.permits.available_permits())
    }
}

impl<S> tower::Layer<S> for AdmissionLayer {
    type Service = Admission<S>;

    fn layer(&self, inner: S) -> Admission<S> {
        Admission {
            inner,
            layer: self.clone(),
        }
    }
}

/// See [`AdmissionLayer`].
#[derive(Debug, Clone)]
pub struct Admission<S> {
    inner: S,
    layer: AdmissionLayer,
}

impl<S, B, RB> Service<http::Request<B>> for Admission<S>
where
    S: Service<http::Request<B>, Response = http::Response<RB>>,
    RB: tonic::codegen::Body<Data = tonic::codegen::Bytes> + Send + 'static,
    RB::Error: Into<tonic::codegen::StdError>,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = AdmissionFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let permit = if request.uri().path().starts_with(HEALTH) {
            None
        } else {
            match self.layer.permits.clone().try_acquire_owned() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    return AdmissionFuture::Refused {
                        headers: Some(self.layer.refusal.clone()),
                    };
                }
            }
        };
        AdmissionFuture::Admitted {
            call: self.inner.call(request),
            permit,
        }
    }
}

pin_project! {
    /// The future of [`Admission`]: the call holding its permit until its response headers, or a refusal.
    #[project = Projected]
    pub enum AdmissionFuture<F> {
        /// Admitted (or a health check): the permit goes with the call's answer.
        Admitted { #[pin] call: F, permit: Option<OwnedSemaphorePermit> },
        /// Refused: RESOURCE_EXHAUSTED, trailers-only (these headers).
        Refused { headers: Option<Arc<http::HeaderMap>> },
    }
}

impl<F, RB, E> Future for AdmissionFuture<F>
where
    F: Future<Output = Result<http::Response<RB>, E>>,
    RB: tonic::codegen::Body<Data = tonic::codegen::Bytes> + Send + 'static,
    RB::Error: Into<tonic::codegen::StdError>,
{
    type Output = Result<http::Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            Projected::Admitted { call, permit } => call.poll(cx).map(|answer| {
                permit.take();
                answer.map(|response| response.map(Body::new))
            }),
            Projected::Refused { headers } => {
                let mut refused = http::Response::new(Body::empty());
                if let Some(headers) = headers.take() {
                    *refused.headers_mut() = (*headers).clone();
                }
                Poll::Ready(Ok(refused))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_refusal_is_resource_exhausted_trailers_only() {
        let layer = AdmissionLayer::new(0);
        let mut service = tower::Layer::layer(
            &layer,
            tower::service_fn(|_: http::Request<Body>| async {
                Ok::<_, std::convert::Infallible>(http::Response::new(Body::empty()))
            }),
        );
        let request = http::Request::post("/t.T/Call")
            .body(Body::empty())
            .unwrap();
        let refused = Service::call(&mut service, request).await.unwrap();
        let status = Status::from_header_map(refused.headers()).expect("a status in the headers");
        assert_eq!(status.code(), tonic::Code::ResourceExhausted);
        assert_eq!(
            status.message(),
            "server overloaded: 0 calls in flight; try again later"
        );
        assert_eq!(refused.headers()["content-type"], "application/grpc");
        assert!(http_body::Body::is_end_stream(refused.body()));
        // Health checks pass however full the server is.
        let health = http::Request::post("/grpc.health.v1.Health/Check")
            .body(Body::empty())
            .unwrap();
        let answer = Service::call(&mut service, health).await.unwrap();
        assert!(answer.headers().get("grpc-status").is_none());
    }
}
