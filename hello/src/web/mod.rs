//! gRPC-Web and Connect beside gRPC, on one port, from the same generated servers (feature `web`).
//!
//! [`layer`] gives one tower layer to put around a whole tonic router. Behind it, every service on the port
//! (yours, health, reflection) answers:
//! - **gRPC**, as before;
//! - **gRPC-Web**, binary and text, over HTTP/1.1 and HTTP/2 (through `tonic-web`);
//! - **Connect**: unary POST with `application/proto` or `application/json`, GET for methods marked free of
//!   side effects, streaming with `application/connect+proto` and `application/connect+json`, with
//!   `connect-timeout-ms`, gzip and the message size limit.
//!
//! JSON is ProtoJSON, computed from the descriptors that `#[derive(Describe)]` builds: nothing else is asked
//! of your messages. A service whose messages do not derive `Describe` still serves protobuf over all three
//! protocols; its JSON requests get an error naming the types. CORS lets the origins you list call from a
//! browser, none by default.
//!
//! HTTP/1.1 needs `accept_http1(true)` on tonic's server builder (browsers speak it; HTTP/2 goes on as before).
//!
//! ```
//! # use hello::prelude::*;
//! # #[derive(Clone, PartialEq, prost::Message, Describe)]
//! # #[describe(package = "greeter.v1")]
//! # pub struct Greeting { #[prost(string, tag = "1")] pub text: String }
//! # #[hello::service(package = "greeter.v1")]
//! # pub trait Greeter {
//! #     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status>;
//! # }
//! # struct Polite;
//! # #[hello::service]
//! # impl Greeter for Polite {
//! #     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status> {
//! #         Ok(Response::new(request.into_inner()))
//! #     }
//! # }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let web = hello::web::layer(
//!     hello::web::WebConfig::new()
//!         .service(&GREETER_SERVICE)
//!         .allow_origin("http://localhost:8080"),
//! )?;
//! let router = hello::transport::Server::builder()
//!     .accept_http1(true)
//!     .layer(web)
//!     .add_service(greeter_server::GreeterServer::new(Polite));
//! // router.serve(addr).await?, then:
//! //   curl -H 'content-type: application/json' -d '{"text":"world"}' \
//! //       http://localhost:50051/greeter.v1.Greeter/SayHello
//! # Ok(()) }
//! ```

mod codec;
mod config;
mod connect;
mod cors;
mod envelope;
mod error;
mod layer;
mod methods;
#[cfg(feature = "web-tls")]
pub mod tls;

pub use config::{DEFAULT_MAX_MESSAGE_SIZE, Origins, WebConfig};
pub use connect::ConnectService;
pub use layer::{WebError, WebLayer, WebService};

/// The layer that serves gRPC-Web and Connect (and CORS) for `config`, in front of a gRPC router.
pub fn layer(config: WebConfig) -> Result<WebLayer, WebError> {
    WebLayer::new(config)
}
