//! The runtime side of [`hello_macros`]: what a service defined with `#[hello_schema::service]` says
//! about itself. The generated code describes each service with a [`ServiceInfo`] constant, which the
//! compatibility checks compare with a `.proto`, and which descriptors and reflection build on.

pub use hello_macros::service;

mod model;

pub use model::{MethodInfo, MethodKind, ServiceInfo};

mod builder;
mod describe;
mod diff;
mod proto_text;
mod registry;

pub use describe::{Describe, DescribeOneof, MessageRef, TypeDescriptor};
pub use diff::{SchemaDiff, diff};
pub use hello_macros::Describe;
pub use proto_text::{to_proto_text, to_proto_texts};
pub use registry::{Registry, SchemaError, file_name};

/// What `#[derive(Describe)]` and the service macro expand to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::builder::{Cardinality, EnumBuilder, FieldType, MessageBuilder, OneofBuilder};
    pub use crate::describe::{NotDescribed, Probe, ProstName};
    pub use prost_types::FieldDescriptorProto;
}
