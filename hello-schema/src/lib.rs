//! The runtime side of [`hello_macros`]: what a service defined with `#[hello_schema::service]` says
//! about itself. The generated code describes each service with a [`ServiceInfo`] constant, which the
//! compatibility checks compare with a `.proto`, and which descriptors and reflection build on.
//!
//! # Schemas from Rust
//!
//! Messages that also derive [`Describe`] give their `prost_types` descriptors, so a service gets a whole
//! `FileDescriptorSet` (for server reflection), `.proto` text, and a readable diff against a `.proto`:
//!
//! ```
//! use hello_schema::{Describe, Registry, to_proto_texts};
//!
//! #[derive(Clone, PartialEq, prost::Message, Describe)]
//! #[describe(package = "geo")]
//! pub struct Point {
//!     #[prost(float, tag = "1")]
//!     pub latitude: f32,
//!     #[prost(float, tag = "2")]
//!     pub longitude: f32,
//! }
//!
//! // For a service: `MY_SERVICE.file_descriptor_set()`, with every message it reaches.
//! let set = Registry::new().add::<Point>().build().unwrap();
//! let (name, text) = &to_proto_texts(&set)[0];
//! assert_eq!(name, "geo.proto");
//! assert!(text.contains("message Point {\n  float latitude = 1;\n  float longitude = 2;\n}"));
//! // `hello_schema::diff(&compiled_from_proto, &set)` lists every difference, one line each.
//! ```

pub use hello_macros::service;

mod model;

pub use model::{MethodInfo, MethodKind, ServiceInfo};

mod builder;
mod call;
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
    pub use crate::call::{
        Deadline, ResponseStream, not_grpc, parse_timeout, spec_status, spec_status_of, streamed,
        within,
    };
    pub use crate::describe::{NotDescribed, Probe, ProstName};
    pub use prost_types::FieldDescriptorProto;
}
