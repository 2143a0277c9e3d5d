//! [`WebLayer`]: CORS around Connect around gRPC-Web (tonic-web) around the gRPC service.

use crate::web::config::WebConfig;
use crate::web::connect::{ConnectService, Shared};
use crate::web::cors;
use crate::web::methods::MethodTable;
use std::sync::Arc;
use tonic_web::{GrpcWebLayer, GrpcWebService};
use tower_http::cors::{Cors, CorsLayer};
use tower_layer::Layer;

/// The service [`WebLayer`] makes of a gRPC service `S`.
pub type WebService<S> = Cors<ConnectService<GrpcWebService<S>>>;

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
        self.cors
            .layer(ConnectService::new(grpc_web, self.shared.clone()))
    }
}
