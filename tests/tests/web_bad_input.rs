//! Bad input to the web protocols (issue 14), each answered with its protocol's own error, never a panic or a
//! hang; CORS; and a service whose messages do not derive `Describe`.
//!
//! | input | protocol | answer |
//! |---|---|---|
//! | wrong content type (`text/plain`) | any, HTTP/1.1 and h2c | HTTP 415 with `Accept-Post` |
//! | malformed JSON | Connect unary | 400 `invalid_argument` |
//! | unknown field | Connect unary | 400 `invalid_argument` naming it |
//! | wrong type for a field | Connect unary | 400 `invalid_argument` |
//! | oversized body (5 MiB > 4 MiB) | Connect unary | 429 `resource_exhausted` |
//! | bad `connect-protocol-version`, bad `connect-timeout-ms` | Connect unary | 400 `invalid_argument` |
//! | unknown `content-encoding` | Connect unary | 501 `unimplemented` |
//! | unary content type for a streaming method | Connect unary | 501 `unimplemented` |
//! | truncated envelope | Connect streaming | end-of-stream `invalid_argument` |
//! | oversized envelope | Connect streaming | end-of-stream `resource_exhausted` |
//! | malformed JSON, an unknown field, a wrong type in an envelope | Connect streaming | end-of-stream `invalid_argument` |
//! | a compressed envelope without `connect-content-encoding` | Connect streaming | end-of-stream `invalid_argument` |
//! | truncated frame | gRPC-Web | `grpc-status` 13 (`internal`) |
//! | oversized frame | gRPC-Web | `grpc-status` 8 (`resource_exhausted`) |
//! | JSON to a service whose messages lack `Describe` | Connect | 501 `unimplemented` naming the type |

mod web_common;

use hello::prelude::*;
use web_common::{Exchange, curl, start};

fn envelope(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// The end-of-stream envelope of a Connect streaming answer that failed at once.
fn end_of_stream(answer: &Exchange) -> String {
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = &answer.body;
    assert!(
        body.len() >= 5 && body[0] == 2,
        "not an end-of-stream envelope: {body:?}"
    );
    String::from_utf8_lossy(&body[5..]).into_owned()
}

#[test]
fn connect_and_grpc_web_bad_input() {
    let server = start(&[], None);
    let url = |m: &str| format!("{}/hello.Hello/{m}", server.url());
    let json = |extra: &[&str], m: &str, body: &[u8]| {
        let mut args = vec!["-H", "content-type: application/json"];
        args.extend_from_slice(extra);
        let u = url(m);
        args.push(&u);
        curl(&args, Some(body))
    };

    for version in ["--http1.1", "--http2-prior-knowledge"] {
        let answer = curl(
            &[
                "-H",
                "content-type: text/plain",
                version,
                &url("GetFeature"),
            ],
            Some(b"hi"),
        );
        assert_eq!(answer.status, 415, "{version}");
        assert!(
            answer
                .header("accept-post")
                .is_some_and(|v| v.contains("application/json"))
        );
    }

    for (body, says) in [
        (&br#"{"latitude":"#[..], "cannot read hello.Point from JSON"),
        (br#"{"latitude":1,"altitude":2}"#, "altitude"),
        (
            br#"{"latitude":"north"}"#,
            "cannot read hello.Point from JSON",
        ),
        (br#"[1,2]"#, "cannot read hello.Point from JSON"),
    ] {
        let answer = json(&[], "GetFeature", body);
        assert_eq!(answer.status, 400, "{}", answer.text());
        assert_eq!(answer.error_code(), "invalid_argument");
        assert!(answer.text().contains(says), "{}", answer.text());
    }

    let big = format!(r#"{{"latitude":1,"longitude":2{}}}"#, " ".repeat(5 << 20));
    let answer = json(&[], "GetFeature", big.as_bytes());
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (429, "resource_exhausted")
    );

    for header in [
        "connect-protocol-version: 2",
        "connect-timeout-ms: soon",
        "connect-timeout-ms: 12345678901",
    ] {
        let answer = json(&["-H", header], "GetFeature", b"{}");
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (400, "invalid_argument"),
            "{header}"
        );
    }
    let answer = json(
        &[
            "-H",
            "connect-timeout-ms: 5000",
            "-H",
            "connect-protocol-version: 1",
        ],
        "GetFeature",
        b"{}",
    );
    assert_eq!(answer.status, 200, "{}", answer.text());

    let answer = json(&["-H", "content-encoding: br"], "GetFeature", b"{}");
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (501, "unimplemented")
    );

    let answer = json(&[], "ListFeatures", b"{}");
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (501, "unimplemented")
    );

    // Connect streaming: the error in the end-of-stream envelope.
    let stream = |body: &[u8]| {
        curl(
            &[
                "-H",
                "content-type: application/connect+json",
                &url("ListFeatures"),
            ],
            Some(body),
        )
    };
    let mut truncated = envelope(0, br#"{"lo":{},"hi":{}}"#);
    truncated.truncate(9);
    let end = end_of_stream(&stream(&truncated));
    assert!(
        end.contains(r#""code":"invalid_argument""#) && end.contains("truncated"),
        "{end}"
    );
    let end = end_of_stream(&stream(&[0, 0x7f, 0, 0, 0, b'{']));
    assert!(end.contains(r#""code":"resource_exhausted""#), "{end}");
    for (body, says) in [
        (&b"{lo"[..], "cannot read hello.Rectangle from JSON"),
        (br#"{"lo":{},"corner":1}"#, "corner"),
        (
            br#"{"lo":{"latitude":"north"}}"#,
            "cannot read hello.Rectangle from JSON",
        ),
    ] {
        let end = end_of_stream(&stream(&envelope(0, body)));
        assert!(
            end.contains(r#""code":"invalid_argument""#) && end.contains(says),
            "{end}"
        );
    }
    let end = end_of_stream(&stream(&envelope(1, b"{}")));
    assert!(
        end.contains(r#""code":"invalid_argument""#) && end.contains("connect-content-encoding"),
        "{end}"
    );

    // gRPC-Web: a grpc-status, as its clients read it.
    let grpc_web = |body: &[u8]| {
        curl(
            &[
                "-H",
                "content-type: application/grpc-web+proto",
                "--http1.1",
                &url("GetFeature"),
            ],
            Some(body),
        )
    };
    let answer = grpc_web(&[0, 0, 0, 0, 9, 1, 2]);
    let status = answer
        .header("grpc-status")
        .map(str::to_owned)
        .unwrap_or_else(|| trailer_status(&answer));
    assert_eq!(status, "13", "{answer:?}");
    let answer = grpc_web(&[0, 0x7f, 0, 0, 0]);
    let status = answer
        .header("grpc-status")
        .map(str::to_owned)
        .unwrap_or_else(|| trailer_status(&answer));
    assert_eq!(status, "8", "{answer:?}");
}

/// The grpc-status of a gRPC-Web body's trailer frame (flag 0x80, `name: value` lines).
fn trailer_status(answer: &Exchange) -> String {
    let text = String::from_utf8_lossy(&answer.body);
    text.split("grpc-status:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no grpc-status in {answer:?}"))
        .to_owned()
}

#[test]
fn cors_allows_only_the_configured_origins() {
    let preflight = |url: &str, origin: &str| {
        curl(
            &[
                "-X",
                "OPTIONS",
                "-H",
                &format!("origin: {origin}"),
                "-H",
                "access-control-request-method: POST",
                "-H",
                "access-control-request-headers: content-type,connect-protocol-version",
                url,
            ],
            None,
        )
    };
    let allowed = "http://app.example";
    let server = start(&[allowed], None);
    let url = format!("{}/hello.Hello/GetFeature", server.url());

    let answer = preflight(&url, allowed);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some(allowed),
        "{answer:?}"
    );
    let headers = answer
        .header("access-control-allow-headers")
        .unwrap_or_default();
    assert!(headers.contains("connect-protocol-version"), "{headers}");
    assert!(
        answer
            .header("access-control-allow-methods")
            .is_some_and(|m| m.contains("POST"))
    );

    let answer = preflight(&url, "http://elsewhere.example");
    assert_eq!(
        answer.header("access-control-allow-origin"),
        None,
        "{answer:?}"
    );

    // The call itself: allowed, and the page may read grpc-status and the like.
    let answer = curl(
        &[
            "-H",
            &format!("origin: {allowed}"),
            "-H",
            "content-type: application/json",
            &url,
        ],
        Some(br#"{"latitude":39.92,"longitude":116.46}"#),
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), Some(allowed));
    assert!(
        answer
            .header("access-control-expose-headers")
            .is_some_and(|h| h.contains("grpc-status"))
    );

    // None by default.
    let closed = start(&[], None);
    let answer = preflight(&format!("{}/hello.Hello/GetFeature", closed.url()), allowed);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        None,
        "{answer:?}"
    );
}

/// Messages with no `Describe`: gRPC and the protobuf protocols still work, JSON says what is missing.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Plain {
    #[prost(string, tag = "1")]
    pub text: String,
}

#[hello::service(package = "plain.v1")]
pub trait Echo {
    async fn echo(&self, request: Request<Plain>) -> Result<Response<Plain>, Status>;
}

struct Echoer;

#[hello::service]
impl Echo for Echoer {
    async fn echo(&self, request: Request<Plain>) -> Result<Response<Plain>, Status> {
        Ok(Response::new(request.into_inner()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_names_the_types_that_lack_describe() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let web = hello::web::layer(hello::web::WebConfig::new().service(&ECHO_SERVICE)).unwrap();
    let server = hello::transport::Server::builder()
        .accept_http1(true)
        .layer(web)
        .add_service(echo_server::EchoServer::new(Echoer));
    tokio::spawn(server.serve_with_incoming(hello::transport::TcpIncoming::from(listener)));
    let url = format!("http://{addr}/plain.v1.Echo/Echo");

    let answer = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            curl(
                &["-H", "content-type: application/json", &url],
                Some(br#"{"text":"hi"}"#),
            )
        }
    })
    .await
    .unwrap();
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (501, "unimplemented"),
        "{}",
        answer.text()
    );
    assert!(
        answer
            .text()
            .contains("`Plain` does not derive hello::Describe"),
        "{}",
        answer.text()
    );

    // Connect with protobuf: the message bytes as they are (field 1, "hi").
    let answer = tokio::task::spawn_blocking(move || {
        curl(
            &["-H", "content-type: application/proto", &url],
            Some(&[0x0a, 2, b'h', b'i']),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (200, &[0x0a, 2, b'h', b'i'][..])
    );

    // gRPC, as ever.
    let mut client = echo_client::EchoClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let reply = client.echo(Plain { text: "hi".into() }).await.unwrap();
    assert_eq!(reply.into_inner().text, "hi");
}
