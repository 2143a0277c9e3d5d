//! The `hello.Hello` service as the Rust code defines it (trait + messages deriving `Describe`) gives the
//! same descriptors as `proto/hello.proto` compiled by protox, field for field, and its `.proto` text
//! compiles back to them.

use hello::demo::service::HELLO_SERVICE;
use hello::{diff, to_proto_texts};
use hello_testkit::proto;
use prost_types::FileDescriptorSet;

fn reference() -> FileDescriptorSet {
    proto::compile(&[("hello.proto", include_str!("../../proto/hello.proto"))])
}

#[test]
fn rust_definitions_equal_the_reference_proto() {
    let rust = HELLO_SERVICE
        .file_descriptor_set()
        .expect("every message derives Describe");
    let report = diff(&reference(), &rust);
    assert!(
        report.is_empty(),
        "proto/hello.proto and the Rust code differ:\n{report}"
    );

    // Field for field, beyond what the diff prints: the same file once messages are in the proto's order.
    let mut rust_file = rust.file.into_iter().next().expect("one file");
    let expected = reference().file.remove(0);
    let order = |name: &str| expected.message_type.iter().position(|m| m.name() == name);
    rust_file.message_type.sort_by_key(|m| order(m.name()));
    assert_eq!(rust_file, expected);
}

#[test]
fn emitted_text_compiles_back_to_the_same_descriptors() {
    let rust = HELLO_SERVICE.file_descriptor_set().expect("descriptors");
    let texts = to_proto_texts(&rust);
    assert_eq!(proto::compile_owned(&texts), rust);
}
