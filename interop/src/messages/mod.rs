//! The messages of `proto/grpc/testing/empty.proto` and `messages.proto`, written by hand with prost: field for
//! field and tag for tag, nested types in modules named after their message as prost-build names them.

mod calls;
mod others;

pub use calls::*;
pub use others::*;
