//! Shared code of the fuzz targets in src/bin/ (see README.md): the service macro's front end and generator,
//! compiled as plain Rust.
//!
//! hello-macros is a proc-macro crate, which exports nothing but its macros, so its modules are included here as
//! they are, by path, at the crate root (they name each other as `crate::...`), and its pipeline is called as the
//! pure function [`expand::service`], the same function its `#[service]` calls.

#![allow(dead_code)] // parts used only by the Describe derive, or only inside the compiler

#[path = "../../hello-macros/src/args.rs"]
mod args;
#[path = "../../hello-macros/src/describe_probe.rs"]
mod describe_probe;
#[path = "../../hello-macros/src/errors.rs"]
mod errors;
#[path = "../../hello-macros/src/expand.rs"]
pub mod expand;
#[path = "../../hello-macros/src/generate/mod.rs"]
mod generate;
#[path = "../../hello-macros/src/naming.rs"]
mod naming;
#[path = "../../hello-macros/src/service/mod.rs"]
mod service;

#[path = "../../hello-macros/src/describe/docs.rs"]
mod docs;

/// The service macro reads doc comments with the derive's helper (`crate::describe::docs`), so that one module
/// comes along.
mod describe {
    pub(crate) use super::docs;
}
