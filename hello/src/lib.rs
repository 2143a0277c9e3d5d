//! `hello`: the `hello.Hello` gRPC service defined in Rust, with no `.proto` compiled.

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

pub use messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
pub use route_guide::RouteGuide;
pub use service::{Hello, hello_client, hello_server};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
