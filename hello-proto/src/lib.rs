//! hello's schema tools that compile `.proto` files, with the pure-Rust protox: test-time and tool-time only.
//!
//! - [`assert_compatible`]: one line in a test holds a service against a committed baseline `.proto` with buf's
//!   breaking-change rules; `HELLO_PROTO_BLESS=1 cargo test` rewrites the baseline to accept a change.
//! - the `hello-proto` command: `hello-proto breaking --against OLD.proto NEW.proto [--category WIRE|WIRE_JSON|FILE]`.
//! - [`compile`]: a `.proto` file to descriptors, its directory and protobuf's own files as import paths.
//!
//! The rules themselves are the library's: [`hello::breaking`].

#![deny(missing_docs)]

mod baseline;
mod compile;

pub use baseline::{
    BLESS_VAR, BaselineError, assert_compatible, assert_compatible_in, check_baseline,
};
pub use compile::{CompileError, compile, compile_as};
