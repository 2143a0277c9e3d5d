//! Third-party clients against the demo behind `hello::web` (issue 14): connect-node with its Connect, gRPC-Web
//! and gRPC transports, buf curl over reflection, curl with JSON, Python's connectrpc. Each asserts on the
//! messages and the error codes, over h2c and TLS.

mod web_common;

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use web_common::{curl, peer, run, start};

/// Runs tests/web/client.mjs (connect-node); its lines, `kind value`.
fn node(
    protocol: &str,
    http: &str,
    url: &str,
    format: &str,
    ca: Option<&std::path::Path>,
) -> Vec<String> {
    static RUNS: AtomicU32 = AtomicU32::new(0);
    let chat_latitude = RUNS.fetch_add(1, Ordering::Relaxed).to_string();
    let dir = peer("node_dir");
    let mut cmd = Command::new("node");
    cmd.arg(format!("{dir}/client.mjs"))
        .args([protocol, http, url, format, &chat_latitude]);
    if let Some(ca) = ca {
        cmd.env("NODE_EXTRA_CA_CERTS", ca);
    }
    let out = run(cmd, Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "connect-node {protocol} HTTP/{http} {format} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.lines().map(str::to_owned).collect()
}

/// What connect-node gets for each kind when the protocol and HTTP version carry it.
const ALL_FOUR: [&str; 5] = [
    "unary 北京",
    "unary-error error invalid_argument",
    "server-stream 4",
    "client-stream 3 3",
    "bidi 1",
];

#[test]
fn connect_node_over_every_transport_h2c() {
    let server = start(&[], None);
    let url = server.url();
    for (protocol, http, format) in [
        ("grpcweb", "2", "binary"),
        ("grpc", "2", "binary"),
        ("connect", "2", "binary"),
        ("connect", "2", "json"),
    ] {
        let lines = node(protocol, http, &url, format, None);
        assert_eq!(lines, ALL_FOUR, "{protocol} HTTP/{http} {format}");
    }
}

#[test]
fn connect_node_over_http1() {
    let server = start(&[], None);
    let url = server.url();
    for (protocol, format) in [
        ("grpcweb", "binary"),
        ("connect", "binary"),
        ("connect", "json"),
    ] {
        let lines = node(protocol, "1.1", &url, format, None);
        assert_eq!(lines, ALL_FOUR, "{protocol} HTTP/1.1 {format}");
    }
}

/// How buf curl reaches the server.
#[derive(Clone, Copy)]
enum Via<'a> {
    /// HTTP/2 without TLS (`--http2-prior-knowledge`).
    H2c,
    /// HTTP/1.1 without TLS: buf sends a client's whole stream, then reads the answer (half duplex).
    Http1,
    /// TLS trusting this CA; ALPN picks HTTP/2.
    Tls(&'a std::path::Path),
}

/// buf curl, which asks reflection over the protocol it calls with: each kind, as buf allows it.
fn buf_curl(
    protocol: &str,
    url: &str,
    method: &str,
    data: &str,
    via: Via,
) -> (bool, String, String) {
    let mut cmd = Command::new(peer("buf"));
    cmd.args(["curl", "--protocol", protocol, "-d", data]);
    match via {
        Via::Tls(ca) => {
            cmd.arg("--cacert").arg(ca);
        }
        Via::H2c => {
            cmd.arg("--http2-prior-knowledge");
        }
        Via::Http1 => {}
    }
    cmd.arg(format!("{url}/hello.Hello/{method}"));
    let out = run(cmd, Duration::from_secs(60));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every kind through buf curl over `protocol`: the reply of each, checked.
fn buf_curl_all_kinds(protocol: &str, url: &str, ca: Via, chat_latitude: usize) {
    let (ok, out, err) = buf_curl(
        protocol,
        url,
        "GetFeature",
        r#"{"latitude":39.92,"longitude":116.46}"#,
        ca,
    );
    assert!(
        ok && out.contains(r#""name": "北京""#),
        "{protocol} unary: {out}{err}"
    );

    let (ok, out, err) = buf_curl(protocol, url, "GetFeature", r#"{"latitude":1000}"#, ca);
    assert!(
        !ok && err.contains(r#""code": "invalid_argument""#),
        "{protocol} unary error: {out}{err}"
    );

    let rect =
        r#"{"lo":{"latitude":39.9,"longitude":116.0},"hi":{"latitude":40.4,"longitude":116.5}}"#;
    let (ok, out, err) = buf_curl(protocol, url, "ListFeatures", rect, ca);
    assert!(
        ok && out.matches(r#""name":"#).count() == 4,
        "{protocol} server stream: {out}{err}"
    );

    let route =
        r#"{"latitude":39.92,"longitude":116.46} {"latitude":39.9087,"longitude":116.3975}"#;
    let (ok, out, err) = buf_curl(protocol, url, "RecordRoute", route, ca);
    assert!(
        ok && out.contains(r#""pointCount": 2"#),
        "{protocol} client stream: {out}{err}"
    );

    let notes = format!(
        r#"{{"location":{{"latitude":{lat},"longitude":1}},"message":"a"}} {{"location":{{"latitude":{lat},"longitude":1}},"message":"b"}}"#,
        lat = chat_latitude
    );
    let (ok, out, err) = buf_curl(protocol, url, "RouteChat", &notes, ca);
    assert!(
        ok && out.matches(r#""message": "a""#).count() == 1,
        "{protocol} bidi: {out}{err}"
    );
}

#[test]
fn buf_curl_over_reflection_h2c() {
    let server = start(&[], None);
    for (i, protocol) in ["connect", "grpcweb", "grpc"].into_iter().enumerate() {
        buf_curl_all_kinds(protocol, &server.url(), Via::H2c, i);
    }
}

/// gRPC needs HTTP/2; Connect and gRPC-Web over HTTP/1.1 carry every kind, the client's stream sent whole.
#[test]
fn buf_curl_over_reflection_http1() {
    let server = start(&[], None);
    for (i, protocol) in ["connect", "grpcweb"].into_iter().enumerate() {
        buf_curl_all_kinds(protocol, &server.url(), Via::Http1, i);
    }
}

#[test]
fn over_tls_with_alpn() {
    let (pki, ca) = web_common::pki();
    let server = start(&[], Some(&pki));
    let url = server.url();
    for (protocol, http, format) in [
        ("connect", "2", "json"),
        ("connect", "2", "binary"),
        ("grpcweb", "2", "binary"),
        ("grpc", "2", "binary"),
        ("connect", "1.1", "binary"),
        ("connect", "1.1", "json"),
        ("grpcweb", "1.1", "binary"),
    ] {
        let lines = node(protocol, http, &url, format, Some(&ca));
        assert_eq!(lines, ALL_FOUR, "TLS {protocol} HTTP/{http} {format}");
    }
    for (i, protocol) in ["connect", "grpcweb", "grpc"].into_iter().enumerate() {
        buf_curl_all_kinds(protocol, &url, Via::Tls(&ca), 80 + i);
    }
}

/// A Connect streaming envelope.
fn envelope(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// The envelopes of a Connect streaming response body: (flags, payload as text).
fn envelopes(mut body: &[u8]) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    while body.len() >= 5 {
        let len = u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize;
        assert!(
            body.len() >= 5 + len,
            "a truncated envelope in the response"
        );
        out.push((
            body[0],
            String::from_utf8_lossy(&body[5..5 + len]).into_owned(),
        ));
        body = &body[5 + len..];
    }
    assert!(body.is_empty(), "bytes after the last envelope");
    out
}

#[test]
fn curl_json_every_kind() {
    let server = start(&[], None);
    let url = |m: &str| format!("{}/hello.Hello/{m}", server.url());
    let json = ["-H", "content-type: application/json"];

    // Unary, over HTTP/1.1 and HTTP/2: the message in ProtoJSON (lowerCamelCase), HTTP 200.
    for version in ["--http1.1", "--http2-prior-knowledge"] {
        let answer = curl(
            &[&json[..], &[version, &url("GetFeature")]].concat(),
            Some(br#"{"latitude":39.92,"longitude":116.46}"#),
        );
        assert_eq!(answer.status, 200, "{version}: {}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(
            answer.text(),
            r#"{"name":"北京","location":{"latitude":39.92,"longitude":116.46}}"#
        );
    }

    // The proto field names are accepted too; defaults are left out of the answer.
    let answer = curl(
        &[&json[..], &[&url("GetFeature")]].concat(),
        Some(br#"{"latitude":0}"#),
    );
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (200, r#"{"location":{}}"#)
    );

    // Health and reflection are on the same port, JSON included.
    let answer = curl(
        &[
            &json[..],
            &[&format!("{}/grpc.health.v1.Health/Check", server.url())],
        ]
        .concat(),
        Some(b"{}"),
    );
    assert_eq!(
        (answer.status, answer.text().as_str()),
        (200, r#"{"status":"SERVING"}"#)
    );

    // An error: the spec's HTTP status and the JSON error body.
    let answer = curl(
        &[&json[..], &[&url("GetFeature")]].concat(),
        Some(br#"{"latitude":1000}"#),
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(answer.error_code(), "invalid_argument");
    assert!(
        answer.text().contains("outside [-90, 90]"),
        "{}",
        answer.text()
    );

    let answer = curl(&[&json[..], &[&url("NoSuchMethod")]].concat(), Some(b"{}"));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (501, "unimplemented")
    );
    let answer = curl(
        &[
            "-H",
            "content-type: application/proto",
            &url("NoSuchMethod"),
        ],
        Some(b""),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (501, "unimplemented")
    );

    // A gzipped request, and a gzipped answer for a client that accepts one.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, br#"{"latitude":39.92,"longitude":116.46}"#).unwrap();
    let answer = curl(
        &[
            &json[..],
            &[
                "-H",
                "content-encoding: gzip",
                "--compressed",
                &url("GetFeature"),
            ],
        ]
        .concat(),
        Some(&gz.finish().unwrap()),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-encoding"), Some("gzip"));
    assert!(answer.text().contains("北京"), "{}", answer.text());

    // Server streaming: JSON envelopes, then the end-of-stream envelope with no error.
    let rect =
        br#"{"lo":{"latitude":39.9,"longitude":116.0},"hi":{"latitude":40.4,"longitude":116.5}}"#;
    for version in ["--http1.1", "--http2-prior-knowledge"] {
        let answer = curl(
            &[
                "-H",
                "content-type: application/connect+json",
                version,
                &url("ListFeatures"),
            ],
            Some(&envelope(0, rect)),
        );
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.header("content-type"),
            Some("application/connect+json")
        );
        let got = envelopes(&answer.body);
        assert_eq!(got.len(), 5, "{got:?}");
        assert!(
            got[..4]
                .iter()
                .all(|(flags, m)| *flags == 0 && m.starts_with(r#"{"name":""#)),
            "{got:?}"
        );
        assert_eq!(got[4], (2, "{}".to_owned()));
    }

    // A client stream and a bidirectional one, their requests sent whole (half duplex, as curl sends a body).
    for version in ["--http1.1", "--http2-prior-knowledge"] {
        let connect_json = |method: &str, body: Vec<u8>| {
            let answer = curl(
                &[
                    "-H",
                    "content-type: application/connect+json",
                    version,
                    &url(method),
                ],
                Some(&body),
            );
            assert_eq!(answer.status, 200, "{version} {method}");
            envelopes(&answer.body)
        };
        let route = [
            envelope(0, br#"{"latitude":39.92,"longitude":116.46}"#),
            envelope(0, br#"{"latitude":39.9087,"longitude":116.3975}"#),
        ]
        .concat();
        let got = connect_json("RecordRoute", route);
        assert_eq!(got.len(), 2, "{version}: {got:?}");
        assert!(
            got[0].1.starts_with(r#"{"pointCount":2,"featureCount":2,"#),
            "{version}: {got:?}"
        );
        assert_eq!(got[1], (2, "{}".to_owned()), "{version}");
        let latitude = if version == "--http1.1" { -11 } else { -12 };
        let note = |text: &str| {
            envelope(
                0,
                format!(
                    r#"{{"location":{{"latitude":{latitude},"longitude":3}},"message":"{text}"}}"#
                )
                .as_bytes(),
            )
        };
        let got = connect_json("RouteChat", [note("a"), note("b")].concat());
        assert_eq!(got.len(), 2, "{version}: {got:?}");
        assert!(got[0].1.contains(r#""message":"a""#), "{version}: {got:?}");
        assert_eq!(got[1], (2, "{}".to_owned()), "{version}");
    }

    // A failed stream: HTTP 200, the error in the end-of-stream envelope.
    let answer = curl(
        &[
            "-H",
            "content-type: application/connect+json",
            &url("ListFeatures"),
        ],
        Some(&envelope(0, br#"{"hi":{}}"#)),
    );
    assert_eq!(answer.status, 200);
    let got = envelopes(&answer.body);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, 2);
    assert!(
        got[0].1.starts_with(
            r#"{"error":{"code":"invalid_argument","message":"rectangle: corner lo is missing"#
        ),
        "{got:?}"
    );
}

#[test]
fn python_connectrpc_unary_and_server_stream() {
    let server = start(&[], None);
    let (pki, ca) = web_common::pki();
    let tls_server = start(&[], Some(&pki));
    // Each encoding over HTTP/1.1 and HTTP/2, without TLS (h2c) and with it (ALPN).
    for (url, ca, http, encoding) in [
        (server.url(), None, "--http1", "json"),
        (server.url(), None, "--h2", "json"),
        (server.url(), None, "--http1", "proto"),
        (server.url(), None, "--h2", "proto"),
        (tls_server.url(), Some(&ca), "--http1", "json"),
        (tls_server.url(), Some(&ca), "--h2", "json"),
        (tls_server.url(), Some(&ca), "--h2", "proto"),
    ] {
        let mut cmd = Command::new(peer("python"));
        cmd.arg(hello_tests::process::repo_root().join("tests/python/web_connect_client.py"))
            .args([&url, encoding, http])
            .env("PYTHONPATH", peer("gen_py"));
        if let Some(ca) = ca {
            cmd.arg("--ca").arg(ca);
        }
        let out = run(cmd, Duration::from_secs(60));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "python connectrpc {encoding}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            stdout.lines().collect::<Vec<_>>(),
            [
                "unary 北京",
                "unary-error invalid_argument",
                "server-stream 4",
                "server-stream-error invalid_argument"
            ],
            "{url} {http} {encoding}"
        );
    }
}

/// curl offers only `http/1.1` in ALPN with --http1.1, only `h2` with --http2: both must be served over TLS.
#[test]
fn tls_serves_each_alpn_protocol() {
    let (pki, ca) = web_common::pki();
    let server = start(&[], Some(&pki));
    let url = format!("{}/hello.Hello/GetFeature", server.url());
    for version in ["--http1.1", "--http2"] {
        let answer = curl(
            &[
                "--cacert",
                &ca.display().to_string(),
                version,
                "-H",
                "content-type: application/json",
                &url,
            ],
            Some(br#"{"latitude":39.92,"longitude":116.46}"#),
        );
        assert_eq!(answer.status, 200, "{version}: {}", answer.text());
        assert!(
            answer.text().contains("北京"),
            "{version}: {}",
            answer.text()
        );

        // A server stream, and a failed one, over the same ALPN protocol.
        let list = format!("{}/hello.Hello/ListFeatures", server.url());
        let stream = |body: &[u8]| {
            curl(
                &[
                    "--cacert",
                    &ca.display().to_string(),
                    version,
                    "-H",
                    "content-type: application/connect+json",
                    &list,
                ],
                Some(&envelope(0, body)),
            )
        };
        let answer = stream(
            br#"{"lo":{"latitude":39.9,"longitude":116.0},"hi":{"latitude":40.4,"longitude":116.5}}"#,
        );
        assert_eq!(answer.status, 200, "{version}");
        let got = envelopes(&answer.body);
        assert_eq!(got.len(), 5, "{version}: {got:?}");
        assert_eq!(got[4], (2, "{}".to_owned()), "{version}");
        let got = envelopes(&stream(br#"{"hi":{}}"#).body);
        assert_eq!(got.len(), 1, "{version}: {got:?}");
        assert!(
            got[0]
                .1
                .starts_with(r#"{"error":{"code":"invalid_argument""#),
            "{version}: {got:?}"
        );
    }
}

/// hello-server itself: the page at `/` and its script, `--cors-origin`, Connect JSON and gRPC-Web over
/// HTTP/1.1 on its one port.
#[test]
fn hello_server_serves_the_page_cors_and_every_protocol() {
    let mut cmd = Command::new(hello_tests::bins::hello_bin("hello-server"));
    cmd.args([
        "--addr",
        "127.0.0.1:0",
        "--cors-origin",
        "http://app.example",
    ]);
    let server = hello_tests::process::Server::spawn("hello-server", cmd);
    let url = server.url();

    let page = curl(&[&format!("{url}/")], None);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.text().contains(r#"<script src="app.js">"#),
        "{}",
        page.text()
    );
    let script = curl(&[&format!("{url}/app.js")], None);
    assert!(script.text().contains("application/connect+json"));

    let answer = curl(
        &[
            "-H",
            "origin: http://app.example",
            "-H",
            "content-type: application/json",
            &format!("{url}/hello.Hello/GetFeature"),
        ],
        Some(br#"{"latitude":39.92,"longitude":116.46}"#),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.text().contains("北京"));
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://app.example")
    );

    let (ok, out, err) = buf_curl_http1("grpcweb", &url);
    assert!(ok && out.contains(r#""name": "北京""#), "{out}{err}");
}

/// buf curl over HTTP/1.1 (no --http2-prior-knowledge): a unary GetFeature.
fn buf_curl_http1(protocol: &str, url: &str) -> (bool, String, String) {
    let mut cmd = Command::new(peer("buf"));
    cmd.args([
        "curl",
        "--protocol",
        protocol,
        "-d",
        r#"{"latitude":39.92,"longitude":116.46}"#,
    ])
    .arg(format!("{url}/hello.Hello/GetFeature"));
    let out = run(cmd, Duration::from_secs(60));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
