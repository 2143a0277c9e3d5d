//! The demo as a web page: `hello-server` serves, at `/`, one page embedded in the binary (plain HTML and
//! JavaScript, no build step) that calls `hello.Hello` over Connect with `fetch`; and [`layer`], the web
//! protocols for every service of the demo's port.

mod page;

pub use page::{PageLayer, PageService};

use crate::demo::service::HELLO_SERVICE;
use crate::web::{WebConfig, WebError, WebLayer};
use tower_layer::Stack;

/// The page around the web protocols (gRPC-Web, Connect, CORS for `cors_origins`) around the demo's router.
pub type DemoWebLayer = Stack<WebLayer, PageLayer>;

/// What `hello-server` puts around its router: the page at `/`, then gRPC-Web and Connect for `hello.Hello`,
/// health and reflection (JSON for all three), with CORS for `cors_origins` (none by default; `*` for any).
pub fn layer(cors_origins: &[String]) -> Result<DemoWebLayer, WebError> {
    let mut config = WebConfig::new().service(&HELLO_SERVICE);
    for set in [
        tonic_health::pb::FILE_DESCRIPTOR_SET,
        tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET,
        tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET,
    ] {
        config = config
            .encoded_file_descriptor_set(set)
            .map_err(|e| WebError::new(format!("a bundled descriptor set does not decode: {e}")))?;
    }
    for origin in cors_origins {
        config = config.allow_origin(origin);
    }
    Ok(Stack::new(crate::web::layer(config)?, PageLayer))
}
