//! `proto/hello.proto` compiled by the pure-Rust protox, as protoc would: the reference the Rust code is held to.

#![allow(dead_code)] // each test file uses part of it

use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorSet;
use std::path::{Path, PathBuf};

/// The directory of `hello.proto`.
pub fn proto_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../proto")
}

/// `proto/hello.proto`, compiled.
pub fn hello_proto() -> FileDescriptorSet {
    compile_in(&proto_dir())
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
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("changed-proto-{name}"));
    std::fs::create_dir_all(&dir).expect("a directory under CARGO_TARGET_TMPDIR");
    std::fs::write(dir.join("hello.proto"), text).expect("write the changed proto");
    compile_in(&dir)
}

fn compile_in(dir: &Path) -> FileDescriptorSet {
    protox::compile(["hello.proto"], [dir])
        .unwrap_or_else(|e| panic!("protox rejected {}: {e:?}", dir.display()))
}
