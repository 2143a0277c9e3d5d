//! `hello`: the `hello.Hello` gRPC service defined in Rust, with no `.proto` compiled.

pub mod messages;
pub mod service;

pub use messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
pub use service::{Hello, hello_client, hello_server};
