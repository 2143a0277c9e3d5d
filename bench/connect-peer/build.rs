//! Generates connect-rust's code (buffa messages, service trait) for `proto/hello.proto` into OUT_DIR. protox
//! parses the proto in pure Rust and its FileDescriptorSet is handed to connectrpc-build: no protoc.

use prost::Message;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let proto = proto_dir.join("hello.proto");
    println!("cargo:rerun-if-changed={}", proto.display());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let fds_path = out_dir.join("hello.fds.bin");
    std::fs::write(
        &fds_path,
        protox::compile([&proto], [&proto_dir])?.encode_to_vec(),
    )?;
    connectrpc_build::Config::new()
        .descriptor_set(&fds_path)
        .files(&["hello.proto"])
        .generate_json(false)
        .include_file("_connectrpc.rs")
        .compile()?;
    Ok(())
}
