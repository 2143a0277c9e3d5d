//! The well-known types (issue 12): a message with a Timestamp, a Duration and the wrappers, and a method taking
//! `google.protobuf.Empty`, describe themselves; google/protobuf/*.proto are files of their own, imported, equal to
//! protoc's; the emitted `.proto` imports them and compiles with protox; the diff matches a `.proto` importing them.

use std::collections::HashMap;
use std::path::Path;

use hello::prelude::*;
use hello::{Registry, diff, to_proto_texts};
use prost_types::FileDescriptorSet;
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

/// A new user's first message: times, a wrapper, a struct, a mask, an any.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1")]
pub struct Order {
    #[prost(string, tag = "1")]
    pub id: String,
    #[prost(message, optional, tag = "2")]
    pub placed_at: Option<prost_types::Timestamp>,
    #[prost(message, optional, tag = "3")]
    pub ttl: Option<prost_types::Duration>,
    #[prost(message, optional, tag = "4")]
    pub note: Option<String>,
    #[prost(message, optional, tag = "5")]
    pub quantity: Option<u32>,
    #[prost(message, optional, tag = "6")]
    pub attributes: Option<prost_types::Struct>,
    #[prost(message, optional, tag = "7")]
    pub mask: Option<prost_types::FieldMask>,
    #[prost(message, repeated, tag = "8")]
    pub extras: Vec<prost_types::Any>,
    #[prost(enumeration = "prost_types::NullValue", tag = "9")]
    pub nothing: i32,
    #[prost(map = "string, message", tag = "10")]
    pub labels: HashMap<String, prost_types::Value>,
    #[prost(message, optional, tag = "11")]
    pub payload: Option<prost::bytes::Bytes>,
}

/// prost's `google.protobuf.Empty` is `()`.
pub type Empty = ();

#[hello::service(package = "shop.v1")]
pub trait Shop {
    async fn place(&self, request: Request<Order>) -> Result<Response<Empty>, Status>;
    async fn last(&self, request: Request<Empty>) -> Result<Response<Order>, Status>;
}

const SHOP_PROTO: &str = r#"syntax = "proto3";

package shop.v1;

import "google/protobuf/empty.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/any.proto";

service Shop {
  rpc Place(Order) returns (google.protobuf.Empty);
  rpc Last(google.protobuf.Empty) returns (Order);
}

message Order {
  string id = 1;
  google.protobuf.Timestamp placed_at = 2;
  google.protobuf.Duration ttl = 3;
  google.protobuf.StringValue note = 4;
  google.protobuf.UInt32Value quantity = 5;
  google.protobuf.Struct attributes = 6;
  google.protobuf.FieldMask mask = 7;
  repeated google.protobuf.Any extras = 8;
  google.protobuf.NullValue nothing = 9;
  map<string, google.protobuf.Value> labels = 10;
  google.protobuf.BytesValue payload = 11;
}
"#;

/// Files held in memory, then protobuf's own files as protox ships them.
struct InMemory(HashMap<String, String>);

impl FileResolver for InMemory {
    fn resolve_path(&self, path: &Path) -> Option<String> {
        path.to_str().map(str::to_owned)
    }

    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.0.get(name) {
            Some(source) => File::from_source(name, source),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

fn compile(files: &[(String, String)], open: &[&str]) -> FileDescriptorSet {
    let mut resolver = ChainFileResolver::new();
    resolver.add(InMemory(files.iter().cloned().collect()));
    resolver.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true).include_source_info(false);
    for name in open {
        compiler
            .open_file(name)
            .unwrap_or_else(|e| panic!("protox rejected {name}: {e:?}\n{files:#?}"));
    }
    compiler.file_descriptor_set()
}

fn shop() -> FileDescriptorSet {
    SHOP_SERVICE
        .file_descriptor_set()
        .expect("every message describes itself")
}

#[test]
fn well_known_types_are_files_of_their_own_imported_by_the_users_file() {
    let set = shop();
    let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
    let user = set.file.last().unwrap();
    assert_eq!(user.name(), "shop/v1.proto", "{names:?}");
    assert_eq!(
        user.dependency,
        [
            "google/protobuf/timestamp.proto",
            "google/protobuf/duration.proto",
            "google/protobuf/wrappers.proto",
            "google/protobuf/struct.proto",
            "google/protobuf/field_mask.proto",
            "google/protobuf/any.proto",
            "google/protobuf/empty.proto",
        ]
    );
    // Nothing of google.protobuf is copied into the user's package.
    assert!(
        user.message_type.iter().all(|m| m.name() == "Order"),
        "{user:#?}"
    );
    assert_eq!(user.package(), "shop.v1");
    // Each file after those it imports, as protoc orders them.
    assert_eq!(names.len(), 8, "{names:?}");
}

#[test]
fn each_well_known_file_equals_the_one_protoc_ships() {
    let ours = shop();
    let theirs = compile(
        &[],
        &[
            "google/protobuf/any.proto",
            "google/protobuf/duration.proto",
            "google/protobuf/empty.proto",
            "google/protobuf/field_mask.proto",
            "google/protobuf/struct.proto",
            "google/protobuf/timestamp.proto",
            "google/protobuf/wrappers.proto",
        ],
    );
    let mut checked = 0;
    for file in ours.file.iter().filter(|f| f.name().starts_with("google/")) {
        let expected = theirs
            .file
            .iter()
            .find(|f| f.name() == file.name())
            .unwrap_or_else(|| panic!("protox ships no {}", file.name()));
        assert_eq!(file, expected, "{} differs from protoc's", file.name());
        checked += 1;
    }
    assert_eq!(checked, 7);
}

#[test]
fn emitted_proto_imports_them_and_compiles_back_to_the_same_descriptors() {
    let set = shop();
    let texts = to_proto_texts(&set);
    let names: Vec<&str> = texts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["shop/v1.proto"],
        "protobuf's own files are not emitted"
    );
    let text = &texts[0].1;
    for import in [
        "import \"google/protobuf/timestamp.proto\";",
        "import \"google/protobuf/empty.proto\";",
        "import \"google/protobuf/wrappers.proto\";",
    ] {
        assert!(text.contains(import), "{import} missing:\n{text}");
    }
    assert!(
        text.contains("  google.protobuf.Timestamp placed_at = 2;"),
        "{text}"
    );
    assert!(
        text.contains("rpc Place(Order) returns (google.protobuf.Empty)"),
        "{text}"
    );
    assert_eq!(compile(&texts, &["shop/v1.proto"]), set);
}

#[test]
fn diff_matches_a_proto_that_imports_them() {
    let proto = compile(&[("shop.proto".into(), SHOP_PROTO.into())], &["shop.proto"]);
    let report = diff(&proto, &shop());
    assert!(report.is_empty(), "{report}");

    // Still a real diff: a Timestamp where the proto has a Duration is named.
    let changed = SHOP_PROTO.replace(
        "google.protobuf.Duration ttl = 3",
        "google.protobuf.Timestamp ttl = 3",
    );
    let proto = compile(&[("shop.proto".into(), changed)], &["shop.proto"]);
    let report = diff(&proto, &shop());
    assert_eq!(
        report.lines(),
        [
            "Order.ttl: proto says google.protobuf.Timestamp = 3, Rust says google.protobuf.Duration = 3"
        ]
    );
}

#[test]
fn bytes_and_vec_are_both_bytes_value() {
    #[derive(Clone, PartialEq, prost::Message, Describe)]
    #[describe(package = "shop.v1")]
    pub struct Blob {
        #[prost(message, optional, tag = "1")]
        pub b: Option<prost::bytes::Bytes>,
    }
    let set = Registry::new()
        .add::<Blob>()
        .add::<Vec<u8>>()
        .build()
        .expect("one protobuf type, two Rust faces");
    let blob = &set.file.last().unwrap().message_type[0];
    assert!(
        blob.field
            .iter()
            .all(|f| f.type_name() == ".google.protobuf.BytesValue")
    );
}
