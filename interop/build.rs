//! Generates tonic-build's server and client for `proto/grpc/testing/test.proto` into OUT_DIR: the independent
//! peer that tests/tonic_peer.rs holds our macro's code against, and the descriptors tests/schema.rs checks. protox parses the protos in pure Rust: no protoc.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../proto");
    for file in ["test.proto", "messages.proto", "empty.proto"] {
        println!(
            "cargo:rerun-if-changed={}",
            root.join("grpc/testing").join(file).display()
        );
    }
    let fds = protox::compile(["grpc/testing/test.proto"], [&root])?;
    // The same descriptors, for tests/schema.rs to hold the Rust definitions against.
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out.join("grpc_testing.fds"),
        prost::Message::encode_to_vec(&fds),
    )?;
    tonic_prost_build::configure().compile_fds(fds)?;
    Ok(())
}
