//! Connect's rules beyond the message framing (issue 14): GET for methods free of side effects (and 405 for
//! the others), the ProtoJSON forms, `connect-timeout-ms` ending a call with `deadline_exceeded`.

mod web_common;

use hello::prelude::*;
use std::time::Duration;
use web_common::{curl, start};

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Query {
    #[prost(string, tag = "1")]
    pub text: String,
}

/// The ProtoJSON forms: 64-bit integers as strings, bytes in base64, enums by name, lowerCamelCase names.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Entry {
    #[prost(int64, tag = "1")]
    pub id: i64,
    #[prost(bytes = "vec", tag = "2")]
    pub cover: Vec<u8>,
    #[prost(enumeration = "Format", tag = "3")]
    pub format: i32,
    #[prost(string, tag = "4")]
    pub shelf_name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, prost::Enumeration, Describe)]
#[repr(i32)]
#[describe(package = "catalog.v1", value_prefix = "FORMAT_")]
pub enum Format {
    Unspecified = 0,
    Ebook = 1,
}

#[hello::service(package = "catalog.v1")]
pub trait Catalog {
    /// Free of side effects: emitted as `option idempotency_level = NO_SIDE_EFFECTS`, so Connect's GET may call it.
    #[rpc(idempotency = "no_side_effects")]
    async fn look_up(&self, request: Request<Query>) -> Result<Response<Query>, Status>;
    async fn record(&self, request: Request<Query>) -> Result<Response<Query>, Status>;
    async fn store(&self, request: Request<Entry>) -> Result<Response<Entry>, Status>;
}

struct Books;

#[hello::service]
impl Catalog for Books {
    async fn look_up(&self, request: Request<Query>) -> Result<Response<Query>, Status> {
        Ok(Response::new(request.into_inner()))
    }
    async fn record(&self, request: Request<Query>) -> Result<Response<Query>, Status> {
        Ok(Response::new(request.into_inner()))
    }
    async fn store(&self, request: Request<Entry>) -> Result<Response<Entry>, Status> {
        let mut entry = request.into_inner();
        entry.id += 1;
        Ok(Response::new(entry))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_calls_only_methods_free_of_side_effects() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = hello::web::WebConfig::new().service(&CATALOG_SERVICE);
    let server = hello::transport::Server::builder()
        .accept_http1(true)
        .layer(hello::web::layer(config).unwrap())
        .add_service(catalog_server::CatalogServer::new(Books));
    tokio::spawn(server.serve_with_incoming(hello::transport::TcpIncoming::from(listener)));
    let base = format!("http://{addr}/catalog.v1.Catalog");
    let proto = hello::to_proto_texts(&CATALOG_SERVICE.file_descriptor_set().unwrap());
    assert!(
        proto.iter().any(|(_, text)| text.contains(
            "rpc LookUp(Query) returns (Query) { option idempotency_level = NO_SIDE_EFFECTS; }"
        )),
        "{proto:?}"
    );

    let answers = tokio::task::spawn_blocking(move || {
        let get =
            |method: &str, query: &str| curl(&["-G", &format!("{base}/{method}?{query}")], None);
        // "hi" as {"text":"hi"}, percent-encoded; as protobuf (0a 02 68 69) in URL-safe base64; gzipped.
        let gzipped = {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut gz, b"\x0a\x02hi").unwrap();
            let bytes = gz.finish().unwrap();
            base64_url(&bytes)
        };
        vec![
            get(
                "LookUp",
                "connect=v1&encoding=json&message=%7B%22text%22%3A%22hi%22%7D",
            ),
            get(
                "LookUp",
                "connect=v1&encoding=proto&base64=1&message=CgJoaQ",
            ),
            get(
                "LookUp",
                &format!("encoding=proto&base64=1&compression=gzip&message={gzipped}"),
            ),
            get("Record", "connect=v1&encoding=json&message=%7B%7D"),
            get("LookUp", "connect=v1&encoding=xml&message=x"),
            curl(
                &["-H", "content-type: application/json", &format!("{base}/Store")],
                Some(br#"{"id":"9007199254740993","cover":"aGk=","format":"FORMAT_EBOOK","shelf_name":"A"}"#),
            ),
        ]
    })
    .await
    .unwrap();
    assert_eq!(
        (answers[0].status, answers[0].text().as_str()),
        (200, r#"{"text":"hi"}"#)
    );
    assert_eq!(
        (answers[1].status, answers[1].body.as_slice()),
        (200, &b"\x0a\x02hi"[..])
    );
    assert_eq!(
        (answers[2].status, answers[2].body.as_slice()),
        (200, &b"\x0a\x02hi"[..])
    );
    assert_eq!(answers[3].status, 405, "{}", answers[3].text());
    assert_eq!(answers[3].header("allow"), Some("POST"));
    assert_eq!(
        (answers[4].status, answers[4].error_code().as_str()),
        (400, "invalid_argument")
    );
}

/// URL-safe base64 without padding, as a Connect GET carries a binary message.
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
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

/// A RouteChat that sends nothing and keeps its request open: `connect-timeout-ms` ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_timeout_ms_ends_a_call_with_deadline_exceeded() {
    let server = start(&[], None);
    let tcp = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let (client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(connection);
    let mut client = client.ready().await.unwrap();
    let request = http::Request::post(format!("http://{}/hello.Hello/RouteChat", server.addr()))
        .header("content-type", "application/connect+json")
        .header("connect-timeout-ms", "300")
        .body(())
        .unwrap();
    let started = std::time::Instant::now();
    let (response, _open_request) = client.send_request(request, false).unwrap();
    let body = tokio::time::timeout(Duration::from_secs(10), async {
        let response = response.await.unwrap();
        assert_eq!(response.status(), 200);
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        while let Some(chunk) = body.data().await {
            let chunk = chunk.unwrap();
            let _ = body.flow_control().release_capacity(chunk.len());
            bytes.extend_from_slice(&chunk);
        }
        bytes
    })
    .await
    .expect("the call ended at its deadline");
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(body[0], 2, "an end-of-stream envelope: {body:?}");
    let end = String::from_utf8_lossy(&body[5..]);
    assert!(end.contains(r#""code":"deadline_exceeded""#), "{end}");
}
