//! [`Routes`]: the services of one port, each chosen by the service name in a call's path (`/pkg.Service/Method`),
//! with no allocation, no hash and no boxed service per call: a chain of comparisons, one per service.

use std::convert::Infallible;
use std::task::{Context, Poll};
use tonic::Status;
use tonic::body::Body;
use tonic::server::NamedService;
use tower::Service;

/// Services routed by name; build it with [`Routes::new`] and [`Routes::add_service`].
#[derive(Debug, Clone)]
pub struct Routes<S, Next> {
    service: Option<S>,
    next: Next,
}

/// The end of the chain: no service of that name here (UNIMPLEMENTED, as gRPC answers an unknown service).
#[derive(Debug, Clone, Copy, Default)]
pub struct Unrouted;

impl Routes<Unrouted, Unrouted> {
    /// No service yet.
    pub fn new() -> Routes<Unrouted, Unrouted> {
        Routes {
            service: None,
            next: Unrouted,
        }
    }
}

impl Default for Routes<Unrouted, Unrouted> {
    fn default() -> Self {
        Routes::new()
    }
}

impl<S, Next> Routes<S, Next> {
    /// These routes and `service`, for the calls of its [`NamedService::NAME`].
    pub fn add_service<T: NamedService>(self, service: T) -> Routes<T, Self> {
        Routes {
            service: Some(service),
            next: self,
        }
    }

    /// These routes and `service` if it is `Some` (as tonic's `add_optional_service`).
    pub fn add_optional_service<T: NamedService>(self, service: Option<T>) -> Routes<T, Self> {
        Routes {
            service,
            next: self,
        }
    }
}

/// Whether `path` is `/NAME/...`.
fn routes_to(path: &str, name: &str) -> bool {
    path.strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|rest| rest.starts_with('/'))
}

impl<S, Next, B> Service<http::Request<B>> for Routes<S, Next>
where
    S: Service<http::Request<B>, Response = http::Response<Body>, Error = Infallible>
        + NamedService,
    Next: Service<http::Request<B>, Response = http::Response<Body>, Error = Infallible>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = futures_util::future::Either<S::Future, Next::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        if let Some(service) = &mut self.service
            && service.poll_ready(cx).is_pending()
        {
            return Poll::Pending;
        }
        self.next.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        match &mut self.service {
            Some(service) if routes_to(request.uri().path(), S::NAME) => {
                futures_util::future::Either::Left(service.call(request))
            }
            _ => futures_util::future::Either::Right(self.next.call(request)),
        }
    }
}

impl NamedService for Unrouted {
    const NAME: &'static str = "";
}

impl<B> Service<http::Request<B>> for Unrouted {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let status =
            Status::unimplemented(format!("no service here serves {}", request.uri().path()));
        std::future::ready(Ok(status.into_http()))
    }
}

#[cfg(test)]
mod tests {
    use super::routes_to;

    #[test]
    fn routes_by_the_whole_service_name() {
        assert!(routes_to("/hello.Hello/GetFeature", "hello.Hello"));
        assert!(!routes_to("/hello.HelloAgain/GetFeature", "hello.Hello"));
        assert!(!routes_to("/hello.Hello", "hello.Hello"));
        assert!(!routes_to("hello.Hello/GetFeature", "hello.Hello"));
        assert!(!routes_to("/grpc.health.v1.Health/Check", "hello.Hello"));
    }
}
