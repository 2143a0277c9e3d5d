//! gRPC server reflection from the descriptors the Rust definitions give, so generic clients (grpcurl, buf curl,
//! grpcio-reflection) call a service with no `.proto` file at hand. Serve both versions: v1alpha is what older
//! clients ask for.
//!
//! ```
//! # use hello::prelude::*;
//! # #[derive(Clone, PartialEq, prost::Message, Describe)]
//! # #[describe(package = "greeter.v1")]
//! # pub struct Greeting {}
//! # #[hello::service(package = "greeter.v1")]
//! # pub trait Greeter {
//! #     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status>;
//! # }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let descriptors = GREETER_SERVICE.file_descriptor_set()?;
//! let router = hello::transport::Server::builder()
//!     .add_service(hello::reflection::v1(descriptors.clone())?)
//!     .add_service(hello::reflection::v1alpha(descriptors)?);
//! # Ok(()) }
//! ```
//!
//! For more (several sets, encoded sets such as `tonic_health`'s), use [`Builder`] directly.

use prost_types::FileDescriptorSet;
pub use tonic_reflection::server::{Builder, Error};
use tonic_reflection::server::{v1 as v1_service, v1alpha as v1alpha_service};

/// The v1 reflection service (`grpc.reflection.v1.ServerReflection`) describing `descriptors`.
pub fn v1(
    descriptors: FileDescriptorSet,
) -> Result<v1_service::ServerReflectionServer<impl v1_service::ServerReflection>, Error> {
    Builder::configure()
        .register_file_descriptor_set(descriptors)
        .build_v1()
}

/// The v1alpha reflection service (`grpc.reflection.v1alpha.ServerReflection`) describing `descriptors`.
pub fn v1alpha(
    descriptors: FileDescriptorSet,
) -> Result<v1alpha_service::ServerReflectionServer<impl v1alpha_service::ServerReflection>, Error>
{
    Builder::configure()
        .register_file_descriptor_set(descriptors)
        .build_v1alpha()
}
