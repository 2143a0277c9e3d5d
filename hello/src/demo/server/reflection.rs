//! gRPC server reflection, v1 and v1alpha, from the descriptors the Rust definitions give: generic clients
//! (grpcurl, buf curl, Postman, grpcui, grpcio-reflection) call the server with no `.proto` file at hand.

use crate::demo::service::HELLO_SERVICE;
use tonic_reflection::server::{Builder, v1, v1alpha};

/// What reflection describes: `hello.Hello` and every message it reaches (built from the Rust definitions) and the health service (from tonic-health); each
/// version of the reflection service adds its own file.
fn builder() -> Result<Builder<'static>, String> {
    // With source info, so reflection clients show the rustdoc of the service, its methods and messages.
    let hello = HELLO_SERVICE
        .file_descriptor_set_with_source_info()
        .map_err(|e| format!("the descriptors of hello.Hello: {e}"))?;
    Ok(Builder::configure()
        .register_file_descriptor_set(hello)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET))
}

/// The v1 and v1alpha reflection services; built once, at start, so a bad descriptor stops the server
/// before it listens rather than failing calls.
#[allow(clippy::type_complexity)]
pub(super) fn services() -> Result<
    (
        v1::ServerReflectionServer<impl v1::ServerReflection>,
        v1alpha::ServerReflectionServer<impl v1alpha::ServerReflection>,
    ),
    String,
> {
    let v1 = builder()?
        .build_v1()
        .map_err(|e| format!("reflection v1: {e}"))?;
    let v1alpha = builder()?
        .build_v1alpha()
        .map_err(|e| format!("reflection v1alpha: {e}"))?;
    Ok((v1, v1alpha))
}
