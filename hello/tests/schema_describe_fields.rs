//! Every field kind prost supports, derived with `Describe`, equals the same schema written as `.proto` and
//! compiled by protox: descriptor for descriptor, field for field.

use hello_testkit::proto;
use std::collections::{BTreeMap, HashMap};

use hello::{Describe, Registry, TypeDescriptor, diff};

/// In another package, named by `prost::Name` rather than `#[describe]`.
#[derive(Clone, PartialEq, prost::Message, Describe)]
pub struct Point {
    #[prost(sint32, tag = "1")]
    pub x: i32,
    #[prost(sint32, tag = "2")]
    pub y: i32,
}

impl prost::Name for Point {
    const NAME: &'static str = "Point";
    const PACKAGE: &'static str = "geo";
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "kinds")]
pub struct Scalars {
    #[prost(double, tag = "1")]
    pub f_double: f64,
    #[prost(float, tag = "2")]
    pub f_float: f32,
    #[prost(int32, tag = "3")]
    pub f_int32: i32,
    #[prost(int64, tag = "4")]
    pub f_int64: i64,
    #[prost(uint32, tag = "5")]
    pub f_uint32: u32,
    #[prost(uint64, tag = "6")]
    pub f_uint64: u64,
    #[prost(sint32, tag = "7")]
    pub f_sint32: i32,
    #[prost(sint64, tag = "8")]
    pub f_sint64: i64,
    #[prost(fixed32, tag = "9")]
    pub f_fixed32: u32,
    #[prost(fixed64, tag = "10")]
    pub f_fixed64: u64,
    #[prost(sfixed32, tag = "11")]
    pub f_sfixed32: i32,
    #[prost(sfixed64, tag = "12")]
    pub f_sfixed64: i64,
    #[prost(bool, tag = "13")]
    pub f_bool: bool,
    #[prost(string, tag = "14")]
    pub f_string: String,
    #[prost(bytes = "vec", tag = "15")]
    pub f_bytes: Vec<u8>,
    #[prost(bytes = "bytes", tag = "16")]
    pub f_bytes_buf: prost::bytes::Bytes,
    // Untagged: prost numbers it 17, one past the highest before it.
    #[prost(string)]
    pub r#type: String,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "kinds")]
pub struct Labels {
    #[prost(int32, optional, tag = "1")]
    pub opt_int: Option<i32>,
    #[prost(string, optional, tag = "2")]
    pub opt_string: Option<String>,
    #[prost(int32, repeated, tag = "3")]
    pub packed_ints: Vec<i32>,
    #[prost(int32, repeated, packed = "false", tag = "4")]
    pub unpacked_ints: Vec<i32>,
    #[prost(string, repeated, tag = "5")]
    pub names: Vec<String>,
    #[prost(message, optional, tag = "6")]
    pub point: Option<Point>,
    #[prost(message, repeated, tag = "7")]
    pub points: Vec<Point>,
    #[prost(enumeration = "Corpus", tag = "8")]
    pub corpus: i32,
    #[prost(enumeration = "Corpus", repeated, tag = "9")]
    pub corpora: Vec<i32>,
    #[prost(enumeration = "Corpus", optional, tag = "10")]
    pub maybe_corpus: Option<i32>,
    #[prost(map = "string, int32", tag = "11")]
    pub counts: HashMap<String, i32>,
    #[prost(btree_map = "int64, message", tag = "12")]
    pub by_id: BTreeMap<i64, Point>,
    #[prost(map = "string, enumeration(Corpus)", tag = "13")]
    pub corpus_by_name: HashMap<String, i32>,
    #[prost(message, optional, boxed, tag = "14")]
    pub next: Option<Box<Labels>>,
    #[prost(oneof = "labels::Choice", tags = "15, 16, 17")]
    pub choice: Option<labels::Choice>,
    #[prost(message, optional, tag = "18")]
    pub inner: Option<LabelsInner>,
    #[prost(double, repeated, tag = "19")]
    #[describe(name = "samples_v2")]
    pub samples: Vec<f64>,
    #[prost(oneof = "labels::Other", tags = "20, 21")]
    pub other: Option<labels::Other>,
}

pub mod labels {
    #[derive(Clone, PartialEq, prost::Oneof, hello::Describe)]
    pub enum Choice {
        #[prost(string, tag = "15")]
        Name(String),
        #[prost(message, tag = "16")]
        Where(super::Point),
        #[prost(enumeration = "super::Corpus", tag = "17")]
        CorpusChoice(i32),
    }

    #[derive(Clone, PartialEq, prost::Oneof, hello::Describe)]
    pub enum Other {
        #[prost(bytes, tag = "20")]
        RawData(Vec<u8>),
        #[prost(message, tag = "21")]
        #[describe(name = "again")]
        Nested(Box<super::Labels>),
    }
}

/// Nested in `Labels` by its name.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "kinds", name = "Labels.Inner")]
pub struct LabelsInner {
    #[prost(string, tag = "1")]
    pub note: String,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe,
)]
#[repr(i32)]
#[describe(package = "kinds", value_prefix = "CORPUS_")]
pub enum Corpus {
    Unspecified = 0,
    Web = 1,
    Images = 2,
    #[describe(name = "LOCAL")]
    Local = -3,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "kinds")]
pub struct Empty {}

const GEO: &str = r#"
syntax = "proto3";
package geo;
message Point {
  sint32 x = 1;
  sint32 y = 2;
}
"#;

const KINDS: &str = r#"
syntax = "proto3";
package kinds;
import "geo.proto";

message Scalars {
  double f_double = 1;
  float f_float = 2;
  int32 f_int32 = 3;
  int64 f_int64 = 4;
  uint32 f_uint32 = 5;
  uint64 f_uint64 = 6;
  sint32 f_sint32 = 7;
  sint64 f_sint64 = 8;
  fixed32 f_fixed32 = 9;
  fixed64 f_fixed64 = 10;
  sfixed32 f_sfixed32 = 11;
  sfixed64 f_sfixed64 = 12;
  bool f_bool = 13;
  string f_string = 14;
  bytes f_bytes = 15;
  bytes f_bytes_buf = 16;
  string type = 17;
}

message Labels {
  message Inner {
    string note = 1;
  }
  optional int32 opt_int = 1;
  optional string opt_string = 2;
  repeated int32 packed_ints = 3;
  repeated int32 unpacked_ints = 4 [packed = false];
  repeated string names = 5;
  geo.Point point = 6;
  repeated geo.Point points = 7;
  Corpus corpus = 8;
  repeated Corpus corpora = 9;
  optional Corpus maybe_corpus = 10;
  map<string, int32> counts = 11;
  map<int64, geo.Point> by_id = 12;
  map<string, Corpus> corpus_by_name = 13;
  Labels next = 14;
  oneof choice {
    string name = 15;
    geo.Point where = 16;
    Corpus corpus_choice = 17;
  }
  Inner inner = 18;
  repeated double samples_v2 = 19;
  oneof other {
    bytes raw_data = 20;
    Labels again = 21;
  }
}

message Empty {}

enum Corpus {
  CORPUS_UNSPECIFIED = 0;
  CORPUS_WEB = 1;
  CORPUS_IMAGES = 2;
  LOCAL = -3;
}
"#;

fn from_rust() -> prost_types::FileDescriptorSet {
    let mut registry = Registry::new();
    registry.add::<Scalars>().add::<Labels>().add::<Empty>();
    registry.build().expect("the registry builds")
}

#[test]
fn every_field_kind_matches_protox() {
    let expected = proto::compile(&[("geo.proto", GEO), ("kinds.proto", KINDS)]);
    let actual = from_rust();
    assert!(
        diff(&expected, &actual).is_empty(),
        "{}",
        diff(&expected, &actual)
    );
    assert_eq!(expected, actual);
}

#[test]
fn names_and_packages() {
    assert_eq!(Point::full_name(), "geo.Point");
    assert_eq!(LabelsInner::full_name(), "kinds.Labels.Inner");
    assert_eq!(<Corpus as Describe>::PACKAGE, "kinds");
    let TypeDescriptor::Enum(corpus) = Corpus::descriptor() else {
        panic!("Corpus is an enum")
    };
    let names: Vec<&str> = corpus.value.iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        ["CORPUS_UNSPECIFIED", "CORPUS_WEB", "CORPUS_IMAGES", "LOCAL"]
    );
    let message = Scalars::descriptor();
    assert_eq!(message.as_message().map(|m| m.name()), Some("Scalars"));
}

#[test]
fn same_input_same_bytes() {
    use prost::Message;
    let first = from_rust().encode_to_vec();
    for _ in 0..3 {
        assert_eq!(from_rust().encode_to_vec(), first);
    }
}
