//! `proto/hello.proto` compiled by protox (testkit), as protoc would: the reference the Rust code is held to.

use hello_testkit::{proto, scratch};
use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorSet;
use std::path::{Path, PathBuf};

/// The directory of `hello.proto`.
pub fn proto_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../proto")
}

/// `proto/hello.proto`, compiled.
pub fn hello_proto() -> FileDescriptorSet {
    proto::compile_dir(&proto_dir(), &["hello.proto"])
}

/// The same, as a pool of descriptors for dynamic messages.
pub fn hello_pool() -> DescriptorPool {
    DescriptorPool::from_file_descriptor_set(hello_proto()).expect("protox output is a valid pool")
}

/// `proto/hello.proto` with each `(from, to)` text replaced once, compiled: the reference as someone changed it.
pub fn hello_proto_changed(name: &str, edits: &[(&str, &str)]) -> FileDescriptorSet {
    let mut text =
        std::fs::read_to_string(proto_dir().join("hello.proto")).expect("proto/hello.proto");
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} is not in proto/hello.proto");
        text = text.replacen(from, to, 1);
    }
    let dir = scratch(&format!("changed-proto-{name}"));
    std::fs::write(dir.join("hello.proto"), text).expect("write the changed proto");
    proto::compile_dir(&dir, &["hello.proto"])
}
