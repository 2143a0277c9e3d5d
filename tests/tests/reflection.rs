//! gRPC server reflection of the demo server, built from the Rust definitions (issue 6): a generic client that no
//! one here wrote (grpcio-reflection, Python) finds the whole schema and calls the service with no `.proto`;
//! tonic-reflection's own client reads the v1 and v1alpha services; turned off, both are UNIMPLEMENTED.

use clap::Parser;
use hello::demo::Point;
use hello::demo::cli::server::ServerArgs;
use hello::demo::hello_client::HelloClient;
use hello::demo::server::Config;
use hello::demo::service::HELLO_SERVICE;
use hello_tests::demo::{Demo, quick, start};
use hello_tests::{process, python, reference};
use prost::Message;
use prost_reflect::{Cardinality, DescriptorPool, Kind, MessageDescriptor};
use prost_types::{FileDescriptorProto, FileDescriptorSet};
use tonic::Code;
use tonic_reflection::pb::{v1, v1alpha};

/// The demo server, with reflection on or off.
async fn start_with(reflection: bool) -> Demo {
    start(Config {
        reflection,
        ..quick()
    })
    .await
}

/// What `reflection_client.py` must print of the schema, worked out from `proto/hello.proto` (protox): the
/// service, its methods, then every message they reach in the order first met, fields by number.
fn expected_schema_lines(pool: &DescriptorPool) -> Vec<String> {
    let service = pool.get_service_by_name("hello.Hello").unwrap();
    let mut lines = vec![format!(
        "service {} in {}",
        service.full_name(),
        service.parent_file().name()
    )];
    let stream = |yes: bool| if yes { "stream " } else { "" };
    let mut reached: Vec<MessageDescriptor> = Vec::new();
    fn visit(m: MessageDescriptor, reached: &mut Vec<MessageDescriptor>) {
        if reached.contains(&m) {
            return;
        }
        reached.push(m.clone());
        for f in m.fields() {
            if let Kind::Message(inner) = f.kind() {
                visit(inner, reached);
            }
        }
    }
    for m in service.methods() {
        lines.push(format!(
            "method {}({}{}) returns ({}{})",
            m.full_name(),
            stream(m.is_client_streaming()),
            m.input().full_name(),
            stream(m.is_server_streaming()),
            m.output().full_name()
        ));
        visit(m.input(), &mut reached);
        visit(m.output(), &mut reached);
    }
    for message in reached {
        let mut fields: Vec<_> = message.fields().collect();
        fields.sort_by_key(|f| f.number());
        let fields: Vec<String> = fields
            .iter()
            .map(|f| {
                let ty = match f.kind() {
                    Kind::Message(m) => m.full_name().to_owned(),
                    Kind::Enum(e) => e.full_name().to_owned(),
                    _ => f
                        .field_descriptor_proto()
                        .r#type()
                        .as_str_name()
                        .trim_start_matches("TYPE_")
                        .to_lowercase(),
                };
                let repeated = if f.cardinality() == Cardinality::Repeated {
                    "repeated "
                } else {
                    ""
                };
                format!("{repeated}{ty} {} = {}", f.name(), f.number())
            })
            .collect();
        lines.push(format!(
            "message {} {{ {} }}",
            message.full_name(),
            fields.join(", ")
        ));
    }
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpcio_reflection_client_finds_the_schema_and_calls_with_no_proto() {
    let py = python::env();
    let server = start_with(true).await;
    let script = process::repo_root().join("tests/python/reflection_client.py");
    let mut cmd = py.command(script);
    cmd.arg("--addr").arg(server.addr().to_string());
    let out = tokio::task::spawn_blocking(move || {
        process::run("tests/python/reflection_client.py", cmd)
            .expect_success("tests/python/reflection_client.py")
    })
    .await
    .unwrap();
    server.stop().await;

    let mut expected = vec![
        "services: grpc.health.v1.Health grpc.reflection.v1alpha.ServerReflection hello.Hello"
            .to_owned(),
    ];
    expected.extend(expected_schema_lines(&reference::hello_pool()));
    expected.extend([
        "GetFeature(39.92, 116.46): 北京 at 39.92,116.46".to_owned(),
        "ListFeatures(39.5..40.5, 116..117): 北京 天安门 故宫 八达岭长城".to_owned(),
        "ok".to_owned(),
    ]);
    let got: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(got, expected, "stderr:\n{}", out.stderr);
}

fn v1_request(
    request: v1::server_reflection_request::MessageRequest,
) -> v1::ServerReflectionRequest {
    v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    }
}

/// The one file a FileDescriptorResponse carries.
fn single_file(
    response: Option<v1::server_reflection_response::MessageResponse>,
) -> FileDescriptorProto {
    use v1::server_reflection_response::MessageResponse;
    match response {
        Some(MessageResponse::FileDescriptorResponse(r)) => {
            assert_eq!(
                r.file_descriptor_proto.len(),
                1,
                "one file, no dependencies"
            );
            FileDescriptorProto::decode(r.file_descriptor_proto[0].as_slice()).unwrap()
        }
        other => panic!("not a file descriptor response: {other:?}"),
    }
}

#[tokio::test]
async fn v1_serves_the_descriptors_built_from_rust() {
    use v1::server_reflection_request::MessageRequest;
    use v1::server_reflection_response::MessageResponse;
    let server = start_with(true).await;
    let mut client =
        v1::server_reflection_client::ServerReflectionClient::new(server.channel().await);
    let requests = vec![
        v1_request(MessageRequest::ListServices(String::new())),
        v1_request(MessageRequest::FileContainingSymbol("hello.Hello".into())),
        v1_request(MessageRequest::FileContainingSymbol(
            "hello.RouteNote".into(),
        )),
        v1_request(MessageRequest::FileByFilename("hello.proto".into())),
        v1_request(MessageRequest::FileContainingSymbol(
            "grpc.health.v1.Health".into(),
        )),
        v1_request(MessageRequest::FileContainingSymbol("hello.Nowhere".into())),
    ];
    let mut answers = client
        .server_reflection_info(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut next = async || answers.message().await.unwrap().unwrap().message_response;

    match next().await {
        Some(MessageResponse::ListServicesResponse(list)) => {
            let mut names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
            names.sort();
            assert_eq!(
                names,
                [
                    "grpc.health.v1.Health",
                    "grpc.reflection.v1.ServerReflection",
                    "hello.Hello"
                ]
            );
        }
        other => panic!("not a service list: {other:?}"),
    }
    // The file served is the one the Rust definitions give, and it says what proto/hello.proto says.
    let from_rust = HELLO_SERVICE
        .file_descriptor_set_with_source_info()
        .unwrap();
    let served = single_file(next().await);
    assert_eq!(served, from_rust.file[0]);
    // With the rustdoc as comments, as reflection clients show them.
    let comments: Vec<&str> = served
        .source_code_info
        .as_ref()
        .expect("the served file carries source info")
        .location
        .iter()
        .filter_map(|l| l.leading_comments.as_deref())
        .collect();
    assert!(
        comments
            .iter()
            .any(|c| c.contains("The feature at a point")),
        "{comments:?}"
    );
    let mut served = served;
    served.source_code_info = None;
    let report = hello::diff(
        &reference::hello_proto(),
        &FileDescriptorSet { file: vec![served] },
    );
    assert!(
        report.is_empty(),
        "the served descriptors differ from proto/hello.proto:\n{report}"
    );
    assert_eq!(
        single_file(next().await),
        from_rust.file[0],
        "by message name"
    );
    assert_eq!(single_file(next().await), from_rust.file[0], "by file name");
    let health = single_file(next().await);
    assert_eq!(health.package(), "grpc.health.v1");
    assert_eq!(health.service[0].name(), "Health");
    // An unknown symbol: NOT_FOUND. tonic-reflection ends the stream with that status rather than sending an
    // ErrorResponse; clients such as grpcurl take either.
    match answers.message().await {
        Err(status) => assert_eq!(status.code(), Code::NotFound, "{status:?}"),
        Ok(Some(v1::ServerReflectionResponse {
            message_response: Some(MessageResponse::ErrorResponse(e)),
            ..
        })) => assert_eq!(e.error_code, Code::NotFound as i32, "{e:?}"),
        other => panic!("an unknown symbol is not an error: {other:?}"),
    }
    drop(answers);
    server.stop().await;
}

#[tokio::test]
async fn v1alpha_lists_the_services_too() {
    use v1alpha::server_reflection_request::MessageRequest;
    use v1alpha::server_reflection_response::MessageResponse;
    let server = start_with(true).await;
    let mut client =
        v1alpha::server_reflection_client::ServerReflectionClient::new(server.channel().await);
    let request = v1alpha::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = client
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    match answers.message().await.unwrap().unwrap().message_response {
        Some(MessageResponse::ListServicesResponse(list)) => {
            let mut names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
            names.sort();
            assert_eq!(
                names,
                [
                    "grpc.health.v1.Health",
                    "grpc.reflection.v1alpha.ServerReflection",
                    "hello.Hello"
                ]
            );
        }
        other => panic!("not a service list: {other:?}"),
    }
    drop(answers);
    server.stop().await;
}

#[tokio::test]
async fn turned_off_both_versions_are_unimplemented_and_hello_still_serves() {
    let server = start_with(false).await;
    let mut c1 = v1::server_reflection_client::ServerReflectionClient::new(server.channel().await);
    let e = c1
        .server_reflection_info(tokio_stream::iter([v1_request(
            v1::server_reflection_request::MessageRequest::ListServices(String::new()),
        )]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented, "{e:?}");

    let mut c2 =
        v1alpha::server_reflection_client::ServerReflectionClient::new(server.channel().await);
    let e = c2
        .server_reflection_info(tokio_stream::iter([v1alpha::ServerReflectionRequest {
            host: String::new(),
            message_request: Some(
                v1alpha::server_reflection_request::MessageRequest::ListServices(String::new()),
            ),
        }]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented, "{e:?}");

    let mut hello = HelloClient::connect(server.url()).await.unwrap();
    let feature = hello
        .get_feature(Point {
            latitude: 39.92,
            longitude: 116.46,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(feature.name, "北京");
    server.stop().await;
}

#[test]
fn the_no_reflection_flag_turns_it_off() {
    let on = ServerArgs::try_parse_from(["hello-server"]).unwrap();
    assert!(
        on.config().unwrap().reflection,
        "reflection is on by default"
    );
    let off = ServerArgs::try_parse_from(["hello-server", "--no-reflection"]).unwrap();
    assert!(!off.config().unwrap().reflection);
}
