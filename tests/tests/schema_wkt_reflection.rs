//! The well-known types through reflection alone, with a real client (issue 12): grpcio-reflection (Python, in
//! target/pyenv) resolves a method whose message has a Timestamp and a Duration, and one taking
//! google.protobuf.Empty, from the descriptors the Rust definitions give, then calls both with dynamic messages. The
//! rustdoc of the service, its methods, the message and its fields reaches the client as SourceCodeInfo comments.

use hello::prelude::*;
use hello_tests::{process, python};
use tokio::net::TcpListener;

/// When something happened and how long it took.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "clock.v1")]
pub struct Stamped {
    /// The moment.
    #[prost(message, optional, tag = "1")]
    pub at: Option<prost_types::Timestamp>,
    /// How long it took.
    #[prost(message, optional, tag = "2")]
    pub took: Option<prost_types::Duration>,
}

/// A clock that stamps events.
#[hello::service(package = "clock.v1")]
pub trait Clock {
    /// Stamps an event, adding a second to its duration.
    async fn stamp(&self, request: Request<Stamped>) -> Result<Response<Stamped>, Status>;
    /// The time now (google.protobuf.Empty in).
    async fn now(&self, request: Request<()>) -> Result<Response<Stamped>, Status>;
}

struct Fixed;

#[hello::service]
impl Clock for Fixed {
    async fn stamp(&self, request: Request<Stamped>) -> Result<Response<Stamped>, Status> {
        let mut stamped = request.into_inner();
        // One second more, so the answer is not a mere echo.
        if let Some(took) = stamped.took.as_mut() {
            took.seconds += 1;
        }
        Ok(Response::new(stamped))
    }

    async fn now(&self, _request: Request<()>) -> Result<Response<Stamped>, Status> {
        Ok(Response::new(Stamped {
            at: Some(prost_types::Timestamp {
                seconds: 42,
                nanos: 0,
            }),
            took: None,
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpcio_reflection_resolves_and_calls_the_well_known_types() {
    let py = python::env();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let descriptors = CLOCK_SERVICE
        .file_descriptor_set_with_source_info()
        .unwrap();
    let server = hello::transport::Server::builder()
        .add_service(hello::reflection::v1alpha(descriptors).unwrap())
        .add_service(clock_server::ClockServer::new(Fixed))
        .serve_with_incoming(hello::transport::TcpIncoming::from(listener));
    let server = tokio::spawn(server);

    let script = process::repo_root().join("tests/python/wkt_reflection_client.py");
    let mut cmd = py.command(script);
    cmd.arg("--addr").arg(addr.to_string());
    let out = tokio::task::spawn_blocking(move || {
        process::run("tests/python/wkt_reflection_client.py", cmd)
            .expect_success("tests/python/wkt_reflection_client.py")
    })
    .await
    .unwrap();
    server.abort();

    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "service clock.v1.Clock in clock/v1.proto",
            "imports google/protobuf/timestamp.proto google/protobuf/duration.proto google/protobuf/empty.proto",
            "method Stamp(clock.v1.Stamped) returns (clock.v1.Stamped)",
            "method Now(google.protobuf.Empty) returns (clock.v1.Stamped)",
            "field at = 1: google.protobuf.Timestamp from google/protobuf/timestamp.proto",
            "field took = 2: google.protobuf.Duration from google/protobuf/duration.proto",
            "comment clock.v1.Clock: A clock that stamps events.",
            "comment clock.v1.Clock.Stamp: Stamps an event, adding a second to its duration.",
            "comment clock.v1.Clock.Now: The time now (google.protobuf.Empty in).",
            "comment clock.v1.Stamped: When something happened and how long it took.",
            "comment clock.v1.Stamped.at: The moment.",
            "comment clock.v1.Stamped.took: How long it took.",
            "Stamp: at 1700000000.000000005 took 91s 0ns",
            "Now: at 42",
            "ok",
        ],
        "stderr:\n{}",
        out.stderr
    );
}
