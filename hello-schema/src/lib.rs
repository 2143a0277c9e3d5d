//! The runtime side of [`hello_macros`]: what a service defined with `#[hello_schema::service]` says
//! about itself. The generated code describes each service with a [`ServiceInfo`] constant, which the
//! compatibility checks compare with a `.proto`, and which descriptors and reflection build on.

pub use hello_macros::service;

mod model;

pub use model::{MethodInfo, MethodKind, ServiceInfo};
