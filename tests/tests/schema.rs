//! The schema check of issue 3, with no protoc: `hello`'s Rust definitions held against `proto/hello.proto`
//! compiled by protox.
//!
//! - the descriptors built from the trait and the structs (`HELLO_SERVICE.file_descriptor_set()`) against the
//!   proto with `hello::diff`, field for field (the diff's own cases are in hello/tests/schema_diff.rs);
//! - the service metadata the macro generates (`HELLO_SERVICE`: package, name, HTTP/2 paths, streaming flags,
//!   message names), which the descriptors do not carry, against the proto's service.

use hello::demo::service::HELLO_SERVICE;
use hello::{ServiceInfo, diff};
use hello_tests::reference;
use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorSet;

/// Every way `info` (what the macro saw in the trait) differs from its service in `proto`, one readable line each.
fn service_metadata_mismatches(info: &ServiceInfo, proto: FileDescriptorSet) -> Vec<String> {
    let pool = match DescriptorPool::from_file_descriptor_set(proto) {
        Ok(pool) => pool,
        Err(e) => return vec![format!("the proto is not a valid schema: {e}")],
    };
    let Some(service) = pool.get_service_by_name(info.full_name) else {
        return vec![format!(
            "{}: Rust has this service, proto does not",
            info.full_name
        )];
    };
    let mut out = Vec::new();
    let mut check = |what: String, proto: &str, rust: &str| {
        if proto != rust {
            out.push(format!("{what}: proto says {proto}, Rust says {rust}"));
        }
    };
    let name = info.full_name;
    check(
        format!("{name} package"),
        service.package_name(),
        info.package,
    );
    check(format!("{name} name"), service.name(), info.name);
    let joined = if info.package.is_empty() {
        info.name.to_owned()
    } else {
        format!("{}.{}", info.package, info.name)
    };
    check(format!("{name} full name"), name, &joined);

    let proto_order: Vec<String> = service.methods().map(|m| m.name().to_owned()).collect();
    let rust_order: Vec<&str> = info.methods.iter().map(|m| m.name).collect();
    check(
        format!("{name} methods"),
        &proto_order.join(", "),
        &rust_order.join(", "),
    );
    for m in service.methods() {
        let Some(rust) = info.method(m.name()) else {
            continue; // named by the line above
        };
        let what = |field: &str| format!("{}.{} {field}", info.name, m.name());
        let streams = |yes: bool| if yes { "stream" } else { "single" };
        check(
            what("path"),
            &format!("/{}/{}", service.full_name(), m.name()),
            rust.path,
        );
        check(
            what("request"),
            streams(m.is_client_streaming()),
            streams(rust.kind.client_streaming()),
        );
        check(
            what("response"),
            streams(m.is_server_streaming()),
            streams(rust.kind.server_streaming()),
        );
        // The type names as written in the trait, and the protobuf names their Describe impls give.
        check(what("input type"), m.input().name(), rust.input_type);
        check(what("output type"), m.output().name(), rust.output_type);
        let described = |d: Option<hello::MessageRef>| {
            d.map_or_else(|| "(no Describe)".to_owned(), |d| d.full_name())
        };
        check(
            what("input message"),
            m.input().full_name(),
            &described(rust.input_descriptor),
        );
        check(
            what("output message"),
            m.output().full_name(),
            &described(rust.output_descriptor),
        );
    }
    out
}

#[test]
fn rust_descriptors_equal_proto_hello() {
    let rust = HELLO_SERVICE
        .file_descriptor_set()
        .expect("every message of hello.Hello derives Describe");
    let report = diff(&reference::hello_proto(), &rust);
    assert!(
        report.is_empty(),
        "proto/hello.proto and hello's Rust definitions differ:\n{report}"
    );
}

#[test]
fn service_metadata_equals_proto_hello() {
    let lines = service_metadata_mismatches(&HELLO_SERVICE, reference::hello_proto());
    assert!(lines.is_empty(), "{}", lines.join("\n"));
    // And it is what a peer dials: tonic-build's paths for the same proto.
    let paths: Vec<&str> = HELLO_SERVICE.methods.iter().map(|m| m.path).collect();
    assert_eq!(
        paths,
        [
            "/hello.Hello/GetFeature",
            "/hello.Hello/ListFeatures",
            "/hello.Hello/RecordRoute",
            "/hello.Hello/RouteChat",
        ]
    );
}

#[test]
fn metadata_check_names_each_change_of_the_proto() {
    let changed = reference::hello_proto_changed(
        "metadata",
        &[
            ("rpc GetFeature(Point)", "rpc GetFeature(stream Point)"),
            ("returns (stream Feature)", "returns (Feature)"),
            (
                "rpc RouteChat(stream RouteNote) returns (stream RouteNote)",
                "rpc RouteChat(stream RouteNote) returns (stream Feature)",
            ),
            ("rpc RecordRoute(", "rpc RecordPath("),
        ],
    );
    assert_eq!(
        service_metadata_mismatches(&HELLO_SERVICE, changed),
        [
            "hello.Hello methods: proto says GetFeature, ListFeatures, RecordPath, RouteChat, \
             Rust says GetFeature, ListFeatures, RecordRoute, RouteChat",
            "Hello.GetFeature request: proto says stream, Rust says single",
            "Hello.ListFeatures response: proto says single, Rust says stream",
            "Hello.RouteChat output type: proto says Feature, Rust says RouteNote",
            "Hello.RouteChat output message: proto says hello.Feature, Rust says hello.RouteNote",
        ]
    );
    let other_package =
        reference::hello_proto_changed("package", &[("package hello;", "package geo;")]);
    assert_eq!(
        service_metadata_mismatches(&HELLO_SERVICE, other_package),
        ["hello.Hello: Rust has this service, proto does not"]
    );
}

#[test]
fn a_changed_proto_fails_the_check_with_lines_naming_it() {
    // Someone edits the proto rather than the Rust code: each change is named, message or method and field.
    let changed = reference::hello_proto_changed(
        "fields",
        &[
            ("float latitude = 1;", "double latitude = 1;"),
            ("int32 distance = 3;", "int32 distance = 5;"),
            ("rpc RecordRoute(stream Point)", "rpc RecordRoute(Point)"),
        ],
    );
    let rust = HELLO_SERVICE.file_descriptor_set().unwrap();
    assert_eq!(
        diff(&changed, &rust).into_lines(),
        [
            "Hello.RecordRoute: proto says unary, Rust says client streaming",
            "Point.latitude: proto says double = 1, Rust says float = 1",
            "RouteSummary.distance: proto says int32 = 5, Rust says int32 = 3",
        ]
    );
}
