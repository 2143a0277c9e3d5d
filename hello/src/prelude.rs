//! What a service definition types, in one `use hello::prelude::*;`.

pub use crate::{Describe, service};
pub use tokio_stream::{Stream, StreamExt};
pub use tonic::{Request, Response, Status, Streaming};
