//! A service's protobuf schema from its Rust definitions: descriptors, `.proto` text and the diff between two.

pub mod breaking;
pub mod builder;
pub mod describe;
pub mod diff;
pub mod proto_text;
pub mod registry;
pub mod service_info;
pub mod wkt;
