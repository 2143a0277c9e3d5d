//! Generates tonic-build's server and client for `proto/hello.proto` into OUT_DIR: the peer our macro's code is measured
//! against. protox parses the proto in pure Rust (no protoc). The messages are mapped to `hello`'s own structs
//! with `extern_path`, so both servers encode and decode the very same types and only the generated service
//! plumbing differs.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../proto");
    let proto = proto_dir.join("hello.proto");
    println!("cargo:rerun-if-changed={}", proto.display());
    let fds = protox::compile([&proto], [&proto_dir])?;
    // The client too: its instructions per call are counted against our macro's client (client-bench).
    let mut config = tonic_prost_build::configure();
    for message in ["Point", "Rectangle", "Feature", "RouteNote", "RouteSummary"] {
        config = config.extern_path(
            format!(".hello.{message}"),
            format!("::hello::demo::{message}"),
        );
    }
    config.compile_fds(fds)?;
    Ok(())
}
