//! The schema the Rust code declares (messages deriving `Describe`, services from the macro) is the schema of
//! proto/grpc/testing/{test,messages,empty}.proto as protox compiles them (in build.rs): hello's diff
//! finds no difference, and every message and enum of the protos is defined in Rust.

use hello::{Registry, diff};
use interop::messages::*;
use interop::service::{RECONNECT_SERVICE, TEST_SERVICE, UNIMPLEMENTED_SERVICE};
use prost::Message;
use prost_types::FileDescriptorSet;

fn reference() -> FileDescriptorSet {
    let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/grpc_testing.fds"));
    FileDescriptorSet::decode(&bytes[..]).expect("build.rs wrote a FileDescriptorSet")
}

/// Everything the Rust code defines: the three services, and the messages no method reaches.
fn from_rust() -> FileDescriptorSet {
    let mut registry = Registry::new();
    registry
        .add_service(&TEST_SERVICE)
        .add_service(&UNIMPLEMENTED_SERVICE)
        .add_service(&RECONNECT_SERVICE)
        .add::<LoadBalancerStatsRequest>()
        .add::<LoadBalancerStatsResponse>()
        .add::<LoadBalancerAccumulatedStatsRequest>()
        .add::<LoadBalancerAccumulatedStatsResponse>()
        .add::<ClientConfigureRequest>()
        .add::<ClientConfigureResponse>()
        .add::<MemorySize>()
        .add::<HookRequest>()
        .add::<HookResponse>()
        .add::<GrpclbRouteType>()
        .add::<PayloadType>()
        .add::<load_balancer_stats_response::MetadataType>()
        .add::<client_configure_request::RpcType>()
        .add::<hook_request::HookRequestCommand>();
    registry.build().expect("every message derives Describe")
}

#[test]
fn rust_definitions_equal_the_grpc_testing_protos() {
    let report = diff(&reference(), &from_rust());
    assert!(
        report.is_empty(),
        "proto/grpc/testing and the Rust code differ:\n{report}"
    );
}

#[test]
fn the_diff_would_see_a_change() {
    // Guard against a vacuous pass: the same check on a reference with one field renumbered fails, naming it.
    let mut changed = reference();
    let payload = changed
        .file
        .iter_mut()
        .flat_map(|f| f.message_type.iter_mut())
        .find(|m| m.name() == "Payload")
        .expect("messages.proto has Payload");
    payload.field[1].number = Some(3);
    let report = diff(&changed, &from_rust());
    assert_eq!(
        report.lines(),
        ["Payload.body: proto says bytes = 3, Rust says bytes = 2"]
    );
}

#[test]
fn service_paths_are_grpcs() {
    let paths: Vec<&str> = TEST_SERVICE.methods.iter().map(|m| m.path).collect();
    assert_eq!(
        paths,
        [
            "/grpc.testing.TestService/EmptyCall",
            "/grpc.testing.TestService/UnaryCall",
            "/grpc.testing.TestService/CacheableUnaryCall",
            "/grpc.testing.TestService/StreamingOutputCall",
            "/grpc.testing.TestService/StreamingInputCall",
            "/grpc.testing.TestService/FullDuplexCall",
            "/grpc.testing.TestService/HalfDuplexCall",
            "/grpc.testing.TestService/UnimplementedCall",
        ]
    );
    assert_eq!(
        UNIMPLEMENTED_SERVICE.full_name,
        "grpc.testing.UnimplementedService"
    );
}
