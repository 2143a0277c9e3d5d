//! The schema diff names every difference between two schemas: each case changes `proto/hello.proto` on
//! purpose, compiles both with protox and checks the exact lines.

use hello::diff;
use hello_testkit::proto;
use prost_types::FileDescriptorSet;

const HELLO: &str = include_str!("../../proto/hello.proto");

fn hello() -> FileDescriptorSet {
    proto::compile(&[("hello.proto", HELLO)])
}

/// `proto/hello.proto` with each `(from, to)` replaced once; panics if `from` is absent.
fn changed(edits: &[(&str, &str)]) -> FileDescriptorSet {
    let mut text = HELLO.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} is not in hello.proto");
        text = text.replacen(from, to, 1);
    }
    proto::compile(&[("hello.proto", &text)])
}

fn lines(expected: &FileDescriptorSet, actual: &FileDescriptorSet) -> Vec<String> {
    diff(expected, actual).into_lines()
}

#[test]
fn same_schema_no_lines() {
    let report = diff(&hello(), &hello());
    assert!(report.is_empty());
    assert_eq!(report.to_string(), "");
}

#[test]
fn changed_field_number() {
    let rust = changed(&[("float latitude = 1;", "float latitude = 3;")]);
    assert_eq!(
        lines(&hello(), &rust),
        ["Point.latitude: proto says float = 1, Rust says float = 3"]
    );
}

#[test]
fn changed_field_type() {
    let rust = changed(&[("float latitude = 1;", "double latitude = 1;")]);
    assert_eq!(
        lines(&hello(), &rust),
        ["Point.latitude: proto says float = 1, Rust says double = 1"]
    );
    let rust = changed(&[("int32 point_count = 1;", "sint32 point_count = 1;")]);
    assert_eq!(
        lines(&hello(), &rust),
        ["RouteSummary.point_count: proto says int32 = 1, Rust says sint32 = 1"]
    );
}

#[test]
fn changed_message_type_and_label() {
    let rust = changed(&[
        ("Point lo = 1;", "Feature lo = 1;"),
        ("Point hi = 2;", "repeated Point hi = 2;"),
        ("string name = 1;", "optional string name = 1;"),
    ]);
    assert_eq!(
        lines(&hello(), &rust),
        [
            "Rectangle.lo: proto says Point = 1, Rust says Feature = 1",
            "Rectangle.hi: proto says Point = 2, Rust says repeated Point = 2",
            "Feature.name: proto says string = 1, Rust says optional string = 1",
        ]
    );
}

#[test]
fn method_made_streaming_or_not() {
    let rust = changed(&[
        ("rpc RecordRoute(stream Point)", "rpc RecordRoute(Point)"),
        (
            "rpc GetFeature(Point) returns (Feature)",
            "rpc GetFeature(Point) returns (stream Feature)",
        ),
    ]);
    assert_eq!(
        lines(&hello(), &rust),
        [
            "Hello.GetFeature: proto says unary, Rust says server streaming",
            "Hello.RecordRoute: proto says client streaming, Rust says unary",
        ]
    );
    let rust = changed(&[(
        "rpc RouteChat(stream RouteNote)",
        "rpc RouteChat(RouteNote)",
    )]);
    assert_eq!(
        lines(&hello(), &rust),
        ["Hello.RouteChat: proto says bidirectional streaming, Rust says server streaming"]
    );
}

#[test]
fn renamed_method() {
    let rust = changed(&[("rpc GetFeature(", "rpc FetchFeature(")]);
    assert_eq!(
        lines(&hello(), &rust),
        [
            "Hello.GetFeature: proto has it, Rust does not",
            "Hello.FetchFeature: Rust has it, proto does not",
        ]
    );
}

#[test]
fn changed_method_messages() {
    let rust = changed(&[(
        "rpc GetFeature(Point) returns (Feature)",
        "rpc GetFeature(Rectangle) returns (RouteNote)",
    )]);
    assert_eq!(
        lines(&hello(), &rust),
        [
            "Hello.GetFeature: proto says input Point, Rust says input Rectangle",
            "Hello.GetFeature: proto says output Feature, Rust says output RouteNote",
        ]
    );
}

#[test]
fn missing_and_extra_fields_messages_and_services() {
    let rust = changed(&[
        (
            "\tint32 elapsed_time = 4;\n",
            "\tint32 elapsed_time = 4;\n\tdouble speed = 5;\n",
        ),
        ("\tstring message = 2;\n", ""),
        (
            "message RouteSummary {",
            "message Unused {}\n\nmessage RouteSummary {",
        ),
        ("service Hello {", "service Other {}\n\nservice Hello {"),
    ]);
    assert_eq!(
        lines(&hello(), &rust),
        [
            "service Other: Rust has it, proto does not",
            "RouteNote.message: proto has string = 2, Rust does not",
            "RouteSummary.speed: Rust has double = 5, proto does not",
            "message Unused: Rust has it, proto does not",
        ]
    );
    // The other way round, the same differences seen from the other side.
    assert_eq!(
        lines(&rust, &hello()),
        [
            "service Other: proto has it, Rust does not",
            "RouteNote.message: Rust has string = 2, proto does not",
            "message Unused: proto has it, Rust does not",
            "RouteSummary.speed: proto has double = 5, Rust does not",
        ]
    );
}

#[test]
fn maps_oneofs_enums_and_packing() {
    let base = r#"
syntax = "proto3";
package p;
message M {
  map<string, int32> counts = 1;
  oneof choice { string a = 2; int64 b = 3; }
  repeated int32 ids = 4;
  E e = 5;
}
enum E { E_ZERO = 0; E_ONE = 1; E_TWO = 2; }
"#;
    let other = r#"
syntax = "proto3";
package p;
message M {
  map<string, int64> counts = 1;
  string a = 2;
  oneof choice { int64 b = 3; }
  repeated int32 ids = 4 [packed = false];
  E e = 5;
}
enum E { E_ZERO = 0; E_ONE = 2; E_THREE = 3; }
"#;
    let proto = proto::compile(&[("p.proto", base)]);
    let rust = proto::compile(&[("p.proto", other)]);
    assert_eq!(
        lines(&proto, &rust),
        [
            "M.counts: proto says map<string, int32> = 1, Rust says map<string, int64> = 1",
            "M.a: proto says string = 2 in oneof choice, Rust says string = 2",
            "M.ids: proto says repeated int32 = 4, Rust says repeated int32 = 4 [packed = false]",
            "E.E_ONE: proto says = 1, Rust says = 2",
            "E.E_TWO: proto has = 2, Rust does not",
            "E.E_THREE: Rust has = 3, proto does not",
        ]
    );
}

#[test]
fn names_keep_their_package_when_packages_differ() {
    let rust = proto::compile(&[(
        "hello.proto",
        &HELLO.replace("package hello;", "package hello.v2;"),
    )]);
    let report = lines(&hello(), &rust);
    assert!(
        report.contains(&"service hello.Hello: proto has it, Rust does not".to_owned()),
        "{report:#?}"
    );
    assert!(
        report.contains(&"message hello.v2.Point: Rust has it, proto does not".to_owned()),
        "{report:#?}"
    );
}
