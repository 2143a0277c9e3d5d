//! `.proto` emission: readable, deterministic, and a round trip through protox gives the same descriptors.

use hello::{
    Describe, MethodInfo, MethodKind, Registry, ServiceInfo, diff, to_proto_text, to_proto_texts,
};
use hello_testkit::proto;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1")]
pub struct Order {
    #[prost(string, tag = "1")]
    pub id: String,
    #[prost(message, repeated, tag = "2")]
    pub lines: Vec<OrderLine>,
    #[prost(map = "string, message", tag = "3")]
    pub by_sku: std::collections::HashMap<String, OrderLine>,
    #[prost(enumeration = "Status", tag = "4")]
    pub status: i32,
    #[prost(message, optional, tag = "5")]
    pub money: Option<Money>,
    #[prost(uint32, repeated, packed = "false", tag = "6")]
    pub flags: Vec<u32>,
    #[prost(int64, optional, tag = "7")]
    pub placed_at: Option<i64>,
    #[prost(oneof = "order::Payment", tags = "8, 9")]
    pub payment: Option<order::Payment>,
}

pub mod order {
    #[derive(Clone, PartialEq, prost::Oneof, hello::Describe)]
    pub enum Payment {
        #[prost(string, tag = "8")]
        Card(String),
        #[prost(message, tag = "9")]
        Voucher(super::OrderVoucher),
    }
}

/// Nested: `Order.Line`.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1", name = "Order.Line")]
pub struct OrderLine {
    #[prost(string, tag = "1")]
    pub sku: String,
    #[prost(uint32, tag = "2")]
    pub quantity: u32,
    #[prost(message, optional, tag = "3")]
    pub price: Option<Money>,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1", name = "Order.Voucher")]
pub struct OrderVoucher {
    #[prost(string, tag = "1")]
    pub code: String,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe,
)]
#[repr(i32)]
#[describe(package = "shop.v1", value_prefix = "STATUS_")]
pub enum Status {
    Unknown = 0,
    Open = 1,
    Shipped = 2,
}

/// In another package.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "money")]
pub struct Money {
    #[prost(string, tag = "1")]
    pub currency: String,
    #[prost(sint64, tag = "2")]
    pub units: i64,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1")]
pub struct GetOrder {
    #[prost(string, tag = "1")]
    pub id: String,
}

const fn method(
    name: &'static str,
    kind: MethodKind,
    input: Option<hello::MessageRef>,
    output: Option<hello::MessageRef>,
) -> MethodInfo {
    MethodInfo {
        name,
        rust_name: name,
        path: name,
        kind,
        input_type: "",
        output_type: "",
        input_descriptor: input,
        output_descriptor: output,
        docs: "",
        idempotency: prost_types::method_options::IdempotencyLevel::IdempotencyUnknown,
    }
}

const SHOP: ServiceInfo = ServiceInfo {
    package: "shop.v1",
    name: "Shop",
    full_name: "shop.v1.Shop",
    methods: &[
        method(
            "Get",
            MethodKind::Unary,
            Some(hello::MessageRef::of::<GetOrder>()),
            Some(hello::MessageRef::of::<Order>()),
        ),
        method(
            "Watch",
            MethodKind::Bidirectional,
            Some(hello::MessageRef::of::<GetOrder>()),
            Some(hello::MessageRef::of::<Order>()),
        ),
    ],
    docs: "",
};

const EXPECTED_SHOP: &str = r#"syntax = "proto3";

package shop.v1;

import "money.proto";

service Shop {
  rpc Get(GetOrder) returns (Order) {}
  rpc Watch(stream GetOrder) returns (stream Order) {}
}

message GetOrder {
  string id = 1;
}

message Order {
  message Line {
    string sku = 1;
    uint32 quantity = 2;
    money.Money price = 3;
  }
  message Voucher {
    string code = 1;
  }
  string id = 1;
  repeated Line lines = 2;
  map<string, Line> by_sku = 3;
  Status status = 4;
  money.Money money = 5;
  repeated uint32 flags = 6 [packed = false];
  optional int64 placed_at = 7;
  oneof payment {
    string card = 8;
    Voucher voucher = 9;
  }
}

enum Status {
  STATUS_UNKNOWN = 0;
  STATUS_OPEN = 1;
  STATUS_SHIPPED = 2;
}
"#;

#[test]
fn emits_readable_text_in_declaration_order() {
    let set = SHOP.file_descriptor_set().expect("descriptors");
    let texts = to_proto_texts(&set);
    let names: Vec<&str> = texts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["money.proto", "shop/v1.proto"]);
    assert_eq!(texts[1].1, EXPECTED_SHOP);
    // Alone, a file names other files' types in full.
    assert!(to_proto_text(&set.file[1]).contains(".money.Money price = 3;"));
}

#[test]
fn round_trip_through_protox_gives_the_same_descriptors() {
    let set = SHOP.file_descriptor_set().expect("descriptors");
    let compiled = proto::compile_owned(&to_proto_texts(&set));
    assert!(
        diff(&compiled, &set).is_empty(),
        "{}",
        diff(&compiled, &set)
    );
    assert_eq!(compiled, set);
}

#[test]
fn round_trip_of_every_field_kind() {
    // A richer set: everything the derive makes, through text and back.
    let mut registry = Registry::new();
    registry.add::<Order>().add::<Money>();
    let set = registry.build().expect("descriptors");
    let compiled = proto::compile_owned(&to_proto_texts(&set));
    assert_eq!(compiled, set);
}

#[test]
fn emission_is_deterministic() {
    let first = to_proto_texts(&SHOP.file_descriptor_set().expect("descriptors"));
    for _ in 0..3 {
        assert_eq!(
            to_proto_texts(&SHOP.file_descriptor_set().expect("descriptors")),
            first
        );
    }
}

#[test]
fn text_of_a_proto_compiled_by_protox_round_trips() {
    // The reference proto of this project, through protox, text, protox again.
    let source = include_str!("../../proto/hello.proto");
    let set = proto::compile(&[("hello.proto", source)]);
    let again = proto::compile_owned(&to_proto_texts(&set));
    assert_eq!(again, set);
}

#[test]
fn names_are_qualified_when_a_short_name_would_resolve_elsewhere() {
    // The top-level `a.Point` must not be written `Point` inside `Outer`, which has its own `Point`.
    let source = r#"
syntax = "proto3";
package a;
message Point { int32 x = 1; }
message Outer {
  message Point { string s = 1; }
  .a.Point top = 1;
  Point mine = 2;
}
"#;
    let set = proto::compile(&[("a.proto", source)]);
    let text = to_proto_texts(&set).remove(0).1;
    assert!(text.contains("  a.Point top = 1;"), "{text}");
    assert!(text.contains("  Point mine = 2;"), "{text}");
    assert_eq!(proto::compile(&[("a.proto", &text)]), set);
}
