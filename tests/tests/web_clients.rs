//! Third-party clients against the demo behind `hello::web` (issue 14): connect-node with its Connect, gRPC-Web
//! and gRPC transports, buf curl over reflection, curl with JSON, Python's connectrpc. Each asserts on the
//! messages and the error codes, over h2c and TLS.

mod web_common;

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use web_common::{peer, run, start};

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
