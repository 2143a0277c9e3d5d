//! The two programs as another implementation's harness runs them: `interop-server --port 0 --use_tls`, then
//! `interop-client --use_tls --use_test_ca --server_host_override=foo.test.google.fr --test_case=...`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

/// The server process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interop-server"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start interop-server");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the server's first line");
    let port = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|addr| addr.rsplit_once(':'))
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or_else(|| panic!("expected `listening on <ip:port>`, got {line:?}"));
    Server { child, port }
}

fn client(server: &Server, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interop-client"))
        .args([
            "--server_host",
            "127.0.0.1",
            "--server_port",
            &server.port.to_string(),
        ])
        .args(args)
        .output()
        .expect("run interop-client")
}

const TLS: [&str; 4] = [
    "--use_tls",
    "--use_test_ca",
    "--server_host_override",
    "foo.test.google.fr",
];

#[test]
fn every_case_passes_between_the_binaries_over_tls() {
    let server = start_server(&["--use_tls"]);
    let out = client(&server, &[&TLS[..], &["--test_case=all"]].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let passed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("PASS "))
        .collect();
    assert_eq!(passed, interop::client::cases::ALL);
    assert!(stdout.ends_with("19 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn a_failed_case_is_named_and_fails_the_run() {
    let server = start_server(&[]);
    let out = client(&server, &["--test_case", "empty_unary, no_such_case"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "PASS empty_unary");
    assert!(
        lines[1].starts_with(
            "FAIL no_such_case: unknown test case `no_such_case`; known: empty_unary,"
        ),
        "{stdout}"
    );
    assert_eq!(lines[2], "1 passed, 1 failed");
}

#[test]
fn tls_without_the_test_ca_is_refused() {
    let server = start_server(&["--use_tls=true"]);
    let out = client(
        &server,
        &["--use_tls", "--server_host_override", "foo.test.google.fr"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot connect to 127.0.0.1:") && stderr.contains("UnknownIssuer"),
        "{stderr}"
    );
}
