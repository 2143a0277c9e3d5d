//! The demo: `hello.Hello`, the RouteGuide service of the seed's Python tutorial, defined with this crate.
//!
//! Behind the `demo` cargo feature, with the `hello-server` and `hello-client` binaries; a library user
//! compiles none of it.

pub mod chat;
pub mod cli;
pub mod errors;
pub mod features;
pub mod geo;
pub mod messages;
pub mod notes;
pub mod route;
pub mod route_guide;
pub mod server;
pub mod service;
pub mod web_page;

pub use messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
pub use route_guide::RouteGuide;
pub use service::{Hello, hello_client, hello_server};
