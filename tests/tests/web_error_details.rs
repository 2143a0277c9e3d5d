//! Error details (issue 14): a handler's `Status::with_details` (the `google.rpc.Status` bytes that gRPC sends as
//! `grpc-status-details-bin`) reaches each protocol's clients as that protocol carries them:
//! - Connect unary: the JSON error body's `"details": [{"type": "hello.Point", "value": "<base64, no padding>"}]`;
//! - Connect streams: the same object in the end-of-stream message;
//! - gRPC-Web and gRPC: `grpc-status-details-bin`, in the trailers.
//!
//! Third-party clients decode them: connect-node's `ConnectError.findDetails` over its Connect (JSON and
//! binary), gRPC-Web and gRPC transports, and Python connectrpc's `ConnectError.details`.

mod web_common;

use futures_util::Stream;
use hello::Reply;
use hello::demo::hello_server::HelloServer;
use hello::demo::{Feature, Hello, Point, Rectangle, RouteNote, RouteSummary};
use hello::prelude::*;
use prost::Message;
use std::process::Command;
use std::time::Duration;
use web_common::{curl, peer, run};

/// `google.rpc.Status`, the form of `grpc-status-details-bin`.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
    #[prost(message, repeated, tag = "3")]
    details: Vec<prost_types::Any>,
}

/// `code` and `message` with two details: the point at fault (`hello.Point`) and a retry delay
/// (`google.protobuf.Duration`, 3.5 s).
fn with_details(code: tonic::Code, message: &str, point: &Point) -> Status {
    let details = vec![
        prost_types::Any {
            type_url: "type.googleapis.com/hello.Point".into(),
            value: point.encode_to_vec(),
        },
        prost_types::Any {
            type_url: "type.googleapis.com/google.protobuf.Duration".into(),
            value: prost_types::Duration {
                seconds: 3,
                nanos: 500_000_000,
            }
            .encode_to_vec(),
        },
    ];
    let status = RpcStatus {
        code: code as i32,
        message: message.into(),
        details,
    };
    Status::with_details(code, message, status.encode_to_vec().into())
}

/// hello.Hello whose errors carry details: GetFeature refuses a latitude outside [-90, 90] with the point
/// asked; ListFeatures sends two features, then fails with the second's location.
struct Detailed;

#[hello::service]
impl Hello for Detailed {
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let p = request.into_inner();
        if !(-90.0..=90.0).contains(&p.latitude) {
            return Err(with_details(
                tonic::Code::InvalidArgument,
                "latitude outside [-90, 90]",
                &p,
            ));
        }
        Ok(Response::new(Feature {
            name: "here".into(),
            location: Some(p),
        }))
    }

    async fn list_features(
        &self,
        _request: Request<Rectangle>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Feature>, Status>>>, Status> {
        let at = |latitude| Point {
            latitude,
            longitude: 116.0,
        };
        let items: Vec<Result<Reply<Feature>, Status>> = vec![
            Ok(Feature {
                name: "a".into(),
                location: Some(at(40.0)),
            }
            .into()),
            Ok(Feature {
                name: "b".into(),
                location: Some(at(41.0)),
            }
            .into()),
            Err(with_details(
                tonic::Code::ResourceExhausted,
                "no more features for you",
                &at(41.0),
            )),
        ];
        Ok(Response::new(futures_util::stream::iter(items)))
    }

    async fn record_route(
        &self,
        _request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        Err(Status::unimplemented("not here"))
    }

    async fn route_chat(
        &self,
        _request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl Stream<Item = Result<RouteNote, Status>>>, Status> {
        Err::<Response<futures_util::stream::Empty<Result<RouteNote, Status>>>, _>(
            Status::unimplemented("not here"),
        )
    }
}

/// `Detailed` behind the web layer on 127.0.0.1:0, HTTP/1.1 and HTTP/2; its base URL.
async fn serve_detailed() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let web = hello::demo::web_page::layer(&[]).unwrap();
    let server = hello::transport::Server::builder()
        .accept_http1(true)
        .layer(web)
        .add_service(HelloServer::new(Detailed));
    tokio::spawn(server.serve_with_incoming(hello::transport::TcpIncoming::from(listener)));
    format!("http://{addr}")
}

/// What every client must decode: the code, then each detail's type and value.
const EXPECTED: [&str; 2] = [
    "unary invalid_argument hello.Point(1000,7) google.protobuf.Duration(3.5s)",
    "server-stream 2 resource_exhausted hello.Point(41,116) google.protobuf.Duration(3.5s)",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_reach_connect_node_on_every_transport() {
    let url = serve_detailed().await;
    let lines = tokio::task::spawn_blocking(move || {
        let dir = peer("node_dir");
        let mut all = Vec::new();
        for (protocol, http, format) in [
            ("connect", "2", "json"),
            ("connect", "2", "binary"),
            ("connect", "1.1", "json"),
            ("grpcweb", "1.1", "binary"),
            ("grpcweb", "2", "binary"),
            ("grpc", "2", "binary"),
        ] {
            let mut cmd = Command::new("node");
            cmd.arg(format!("{dir}/details.mjs"))
                .args([protocol, http, &url, format]);
            let out = run(cmd, Duration::from_secs(60));
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(
                out.status.success(),
                "connect-node details {protocol} HTTP/{http} {format}:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            all.push((format!("{protocol} HTTP/{http} {format}"), stdout));
        }
        all
    })
    .await
    .unwrap();
    for (transport, stdout) in lines {
        assert_eq!(stdout.lines().collect::<Vec<_>>(), EXPECTED, "{transport}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_reach_python_connectrpc() {
    let url = serve_detailed().await;
    let out = tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        for encoding in ["json", "proto"] {
            let mut cmd = Command::new(peer("python"));
            cmd.arg(hello_tests::process::repo_root().join("tests/python/web_connect_client.py"))
                .args([&url, encoding, "--details"])
                .env("PYTHONPATH", peer("gen_py"));
            let out = run(cmd, Duration::from_secs(60));
            assert!(
                out.status.success(),
                "python connectrpc details {encoding}: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            all.push((encoding, String::from_utf8_lossy(&out.stdout).into_owned()));
        }
        all
    })
    .await
    .unwrap();
    for (encoding, stdout) in out {
        assert_eq!(stdout.lines().collect::<Vec<_>>(), EXPECTED, "{encoding}");
    }
}

/// The wire forms themselves: Connect's JSON (type name without the URL prefix, base64 without padding) and
/// gRPC-Web's grpc-status-details-bin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_on_the_wire() {
    let url = serve_detailed().await;
    let point = Point {
        latitude: 1000.0,
        longitude: 7.0,
    };
    let answers = tokio::task::spawn_blocking(move || {
        let unary = curl(
            &[
                "-H",
                "content-type: application/json",
                &format!("{url}/hello.Hello/GetFeature"),
            ],
            Some(br#"{"latitude":1000,"longitude":7}"#),
        );
        let mut envelope = vec![0u8, 0, 0, 0, 2];
        envelope.extend_from_slice(b"{}");
        let stream = curl(
            &[
                "-H",
                "content-type: application/connect+json",
                &format!("{url}/hello.Hello/ListFeatures"),
            ],
            Some(&envelope),
        );
        let mut framed = vec![0u8];
        framed.extend_from_slice(&(point.encoded_len() as u32).to_be_bytes());
        framed.extend_from_slice(&point.encode_to_vec());
        let grpc_web = curl(
            &[
                "-H",
                "content-type: application/grpc-web+proto",
                "--http1.1",
                &format!("{url}/hello.Hello/GetFeature"),
            ],
            Some(&framed),
        );
        (unary, stream, grpc_web)
    })
    .await
    .unwrap();
    let (unary, stream, grpc_web) = answers;

    let value = |m: &dyn Fn(&mut Vec<u8>)| {
        let mut v = Vec::new();
        m(&mut v);
        base64_no_pad(&v)
    };
    let point_b64 = value(&|v| point.encode(v).unwrap());
    let duration_b64 = value(&|v| {
        prost_types::Duration {
            seconds: 3,
            nanos: 500_000_000,
        }
        .encode(v)
        .unwrap()
    });
    assert_eq!(unary.status, 400, "{}", unary.text());
    // The members in any order: the code, the message, the details in the handler's order.
    let text = unary.text();
    for member in [
        r#""code":"invalid_argument""#.to_owned(),
        r#""message":"latitude outside [-90, 90]""#.to_owned(),
        format!(
            r#""details":[{{"type":"hello.Point","value":"{point_b64}"}},{{"type":"google.protobuf.Duration","value":"{duration_b64}"}}]"#
        ),
    ] {
        assert!(text.contains(&member), "{member} not in {text}");
    }
    assert!(!point_b64.ends_with('='));

    // Two messages, then the end-of-stream message with the error and its detail.
    let body = &stream.body;
    let mut at = 0;
    let mut envelopes = Vec::new();
    while at + 5 <= body.len() {
        let len =
            u32::from_be_bytes([body[at + 1], body[at + 2], body[at + 3], body[at + 4]]) as usize;
        envelopes.push((
            body[at],
            String::from_utf8_lossy(&body[at + 5..at + 5 + len]).into_owned(),
        ));
        at += 5 + len;
    }
    assert_eq!(envelopes.len(), 3, "{envelopes:?}");
    let last_b64 = value(&|v| {
        Point {
            latitude: 41.0,
            longitude: 116.0,
        }
        .encode(v)
        .unwrap()
    });
    assert_eq!(envelopes[2].0, 2, "{envelopes:?}");
    for member in [
        r#"{"error":{"#.to_owned(),
        r#""code":"resource_exhausted""#.to_owned(),
        r#""message":"no more features for you""#.to_owned(),
        format!(
            r#""details":[{{"type":"hello.Point","value":"{last_b64}"}},{{"type":"google.protobuf.Duration","value":"{duration_b64}"}}]"#
        ),
    ] {
        assert!(
            envelopes[2].1.contains(&member),
            "{member} not in {:?}",
            envelopes[2]
        );
    }

    // gRPC-Web: a trailers-only answer, grpc-status-details-bin in its headers (or the trailer frame).
    let bin = grpc_web
        .header("grpc-status-details-bin")
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(&grpc_web.body).into_owned();
            text.split("grpc-status-details-bin:")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or_else(|| panic!("no grpc-status-details-bin in {grpc_web:?}"))
                .to_owned()
        });
    let decoded = RpcStatus::decode(&*base64_decode(&bin)).unwrap();
    assert_eq!(decoded.code, tonic::Code::InvalidArgument as i32);
    assert_eq!(
        decoded.details[0].type_url,
        "type.googleapis.com/hello.Point"
    );
    assert_eq!(Point::decode(&*decoded.details[0].value).unwrap(), point);
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_no_pad(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Standard base64, padded or not (gRPC's -bin headers are sent either way).
fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.trim_end_matches('=').bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
