//! The `hello-server` and `hello-client` binaries, run as a user runs them.

use hello_testkit::pki::Pki;
use hello_testkit::{HANG_GUARD, scratch};
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;

fn server_bin() -> std::path::PathBuf {
    hello_tests::bins::hello_bin("hello-server")
}

fn client_bin() -> std::path::PathBuf {
    hello_tests::bins::hello_bin("hello-client")
}

/// A `hello-server` child that said `listening on ...`; killed if still running when dropped.
struct ServerProc {
    child: Child,
    addr: SocketAddr,
    stderr: Option<thread::JoinHandle<String>>,
}

impl ServerProc {
    fn spawn(args: &[&str]) -> ServerProc {
        let mut child = Command::new(server_bin())
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let stderr = thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().and_then(Result::ok).unwrap_or_default();
            let _ = tx.send(first);
            // The rest of stdout must be empty: collect it so an extra line would show in a failure.
            for l in lines.map_while(Result::ok) {
                eprintln!("unexpected hello-server stdout: {l}");
            }
        });
        let first = rx
            .recv_timeout(HANG_GUARD)
            .expect("hello-server prints a line");
        let addr = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first stdout line: {first:?}"))
            .parse()
            .unwrap();
        ServerProc {
            child,
            addr,
            stderr: Some(stderr),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM and returns the exit code and what was logged.
    fn terminate(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -TERM {pid}");
        let status = self.child.wait().unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        (status.code(), stderr)
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(args: &[&str]) -> Output {
    let out = Command::new(client_bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn demo_runs_end_to_end_and_the_server_stops_on_sigterm() {
    let server = ServerProc::spawn(&[]);
    let out = client(&["--addr", &server.url()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let want = [
        "== GetFeature (39.92, 116.46)",
        "北京 at (39.92, 116.46)",
        "== ListFeatures from 北京 (39.92, 116.46) to 上海 (31.23, 121.47)",
        "13 features",
        "== RecordRoute 北京 天津 济南 徐州 南京 苏州 上海",
        "7 points, 7 of them features, 1210397 m, 0 s",
        "(39.92, 116.46): first at 北京",
        "(31.23, 121.47): first at 上海",
    ];
    for line in want {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing {line:?} in:\n{stdout}"
        );
    }
    // The same calls as a subcommand, and a bare HOST:PORT address.
    let again = client(&["demo", "--addr", &server.addr.to_string()]);
    assert!(again.status.success(), "{}", text(&again.stderr));

    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("SIGTERM received") && log.contains("stopped"),
        "{log}"
    );
}

#[test]
fn subcommands_print_json_for_scripts() {
    let server = ServerProc::spawn(&[]);
    let url = server.url();
    let out = client(&["--addr", &url, "--json", "get-feature", "39.92", "116.46"]);
    assert_eq!(
        text(&out.stdout),
        "{\"name\":\"北京\",\"location\":{\"latitude\":39.92,\"longitude\":116.46}}\n"
    );

    let out = client(&[
        "--addr",
        &url,
        "--json",
        "list-features",
        "31.23",
        "121.47",
        "31.3",
        "120.62",
    ]);
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("{\"name\":\"苏州\""), "{lines:?}");

    let out = client(&[
        "--addr",
        &url,
        "--json",
        "record-route",
        "39.92,116.46",
        "0,0",
    ]);
    let s = text(&out.stdout);
    assert!(
        s.starts_with("{\"point_count\":2,\"feature_count\":1,\"distance\":"),
        "{s}"
    );

    let out = client(&[
        "--addr",
        &url,
        "--json",
        "route-chat",
        "1,2:a",
        "1,2:b",
        "-3,4 c",
    ]);
    assert_eq!(
        text(&out.stdout),
        "{\"location\":{\"latitude\":1.0,\"longitude\":2.0},\"message\":\"a\"}\n"
    );

    let out = client(&["--addr", &url, "record-route", "--random", "5"]);
    assert!(
        text(&out.stdout).starts_with("5 points, 5 of them features, "),
        "{}",
        text(&out.stdout)
    );

    let dir = scratch("route-file");
    let file = dir.join("route.txt");
    std::fs::write(&file, "# 北京 to 天津\n39.92,116.46\n\n39.13,117.20\n").unwrap();
    let out = client(&[
        "--addr",
        &url,
        "record-route",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert!(
        text(&out.stdout).starts_with("2 points, 2 of them features, "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn route_chat_reads_notes_from_standard_input() {
    let server = ServerProc::spawn(&[]);
    let mut child = Command::new(client_bin())
        .args(["--addr", &server.url(), "route-chat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, "5,5 hello\n5,5:again\n".as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "(5, 5): hello\n");
}

/// An error run: exit code 1 and exactly one line on stderr.
fn one_error_line(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn client_errors_are_one_clear_line() {
    // A closed port: bound, then released.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("http://127.0.0.1:{port}");
    let line = one_error_line(&client(&["--addr", &addr]));
    assert!(
        line.starts_with(&format!("hello-client: cannot connect to {addr}: ")),
        "{line}"
    );
    assert!(line.to_lowercase().contains("refused"), "{line}");

    // A server that accepts connections and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", silent.local_addr().unwrap());
    let held = thread::spawn(move || {
        // Keep the accepted connections open (and silent) until the client gives up.
        silent
            .incoming()
            .take(4)
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let line = one_error_line(&client(&[
        "--addr",
        &addr,
        "--timeout",
        "0.5",
        "get-feature",
        "1",
        "2",
    ]));
    assert!(
        line.starts_with("hello-client: ") && line.contains(&addr),
        "{line}"
    );
    assert!(line.ends_with("timed out after 0.5s"), "{line}");
    drop(held);

    // A status from the server.
    let server = ServerProc::spawn(&[]);
    let line = one_error_line(&client(&[
        "--addr",
        &server.url(),
        "get-feature",
        "91",
        "0",
    ]));
    assert_eq!(
        line,
        format!(
            "hello-client: GetFeature to {} failed: InvalidArgument: point: latitude 91 is outside [-90, 90]",
            server.url()
        )
    );

    // Bad input is reported before any connection.
    let line = one_error_line(&client(&[
        "--addr",
        "http://127.0.0.1:1",
        "record-route",
        "1;2",
    ]));
    assert_eq!(line, "hello-client: `1;2` is not a point: write LAT,LON");
    let line = one_error_line(&client(&["--addr", "not a url"]));
    assert!(
        line.starts_with("hello-client: cannot connect to http://not a url: not a valid address"),
        "{line}"
    );
}

#[test]
fn tls_between_the_binaries() {
    let pki = Pki::new();
    let dir = scratch("tls");
    let (cert, key, ca) = (
        dir.join("server.pem"),
        dir.join("server.key"),
        dir.join("ca.pem"),
    );
    std::fs::write(&cert, &pki.cert_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let server = ServerProc::spawn(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    let addr = format!("https://{}", server.addr);

    let out = client(&[
        "--addr",
        &addr,
        "--tls-ca",
        ca.to_str().unwrap(),
        "get-feature",
        "39.92",
        "116.46",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "北京 at (39.92, 116.46)\n");
    // With `--tls-ca`, a bare HOST:PORT means https.
    let bare = server.addr.to_string();
    let out = client(&[
        "--addr",
        &bare,
        "--tls-ca",
        ca.to_str().unwrap(),
        "get-feature",
        "39.92",
        "116.46",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Without the CA: one line naming the address and the certificate problem.
    let line = one_error_line(&client(&[
        "--addr",
        &addr,
        "get-feature",
        "39.92",
        "116.46",
    ]));
    assert!(
        line.starts_with(&format!("hello-client: cannot connect to {addr}: ")),
        "{line}"
    );
    assert!(line.contains("certificate"), "{line}");
}

#[test]
fn server_refuses_bad_files_with_a_clear_error() {
    let dir = scratch("bad-files");
    let features = dir.join("features.json");
    std::fs::write(
        &features,
        "[\n  {\"name\": \"ok\", \"latitude\": 1, \"longitude\": 2},\n  {\"name\": \"bad\", \"latitude\": 1, \"longitude\": 200}\n]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(server_bin())
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap()
    };

    let out = run(&["--features", features.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing is announced");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "hello-server: bad feature file {}: longitude 200 is outside [-180, 180] at line 3",
            features.display()
        )),
        "{stderr}"
    );

    let out = run(&["--features", "/nonexistent/f.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .starts_with("hello-server: cannot read feature file /nonexistent/f.json: ")
    );

    let out = run(&[
        "--tls-cert",
        features.to_str().unwrap(),
        "--tls-key",
        features.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("hello-server: bad TLS certificate or key"),
        "{}",
        text(&out.stderr)
    );

    // A loaded database is what the server answers from.
    std::fs::write(
        &features,
        "[{\"name\": \"Somewhere\", \"latitude\": -33.5, \"longitude\": 151}]",
    )
    .unwrap();
    let server = ServerProc::spawn(&["--features", features.to_str().unwrap()]);
    let out = client(&["--addr", &server.url(), "get-feature", "-33.5", "151"]);
    assert_eq!(text(&out.stdout), "Somewhere at (-33.5, 151)\n");
}

#[test]
fn help_lists_every_option() {
    let out = Command::new(server_bin()).arg("--help").output().unwrap();
    let help = text(&out.stdout);
    for opt in [
        "--addr",
        "--features",
        "--tls-cert",
        "--tls-key",
        "--max-message-size",
        "--max-concurrent-streams",
        "--request-timeout",
        "--grace-period",
        "--notes-per-location",
        "--notes-total",
    ] {
        assert!(help.contains(opt), "{opt} missing from:\n{help}");
    }
    let out = Command::new(client_bin()).arg("--help").output().unwrap();
    let help = text(&out.stdout);
    for word in [
        "demo",
        "get-feature",
        "list-features",
        "record-route",
        "route-chat",
        "--addr",
        "--timeout",
        "--tls-ca",
        "--json",
    ] {
        assert!(help.contains(word), "{word} missing from:\n{help}");
    }
}
