//! What the web protocol tests share: `hello-server` itself on 127.0.0.1:0 (h2c or TLS), the third-party peers
//! that scripts/web-env.sh installs, and running them.

#![allow(dead_code)] // each test binary uses its part

use hello_testkit::pki::Pki;
use hello_tests::process::repo_root;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

/// A place of the embedded database, and its name.
pub const BEIJING: (f32, f32, &str) = (39.92, 116.46, "北京");

/// The `hello-server` binary, as a user runs it; killed when dropped.
pub struct WebServer {
    server: hello_tests::process::Server,
    tls: bool,
    files: Vec<PathBuf>,
}

impl WebServer {
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// `http://127.0.0.1:port` or `https://localhost:port` (the name the test certificate has).
    pub fn url(&self) -> String {
        if self.tls {
            format!("https://localhost:{}", self.addr().port())
        } else {
            format!("http://{}", self.addr())
        }
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        for file in &self.files {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// `hello-server --addr 127.0.0.1:0` with a `--cors-origin` for each of `cors_origins`, and TLS with `pki`'s
/// certificate when given: the page, gRPC, gRPC-Web and Connect for hello.Hello, health and reflection, HTTP/1.1
/// and HTTP/2 on one port (ALPN h2 and http/1.1 over TLS).
pub fn start(cors_origins: &[&str], pki: Option<&Pki>) -> WebServer {
    let mut cmd = Command::new(hello_tests::bins::hello_bin("hello-server"));
    cmd.args(["--addr", "127.0.0.1:0"]);
    for origin in cors_origins {
        cmd.args(["--cors-origin", origin]);
    }
    let mut files = Vec::new();
    if let Some(pki) = pki {
        let dir = repo_root().join("target/web-tests");
        std::fs::create_dir_all(&dir).expect("target/web-tests");
        let stamp = format!("{}-{}", std::process::id(), stamp());
        let cert = dir.join(format!("cert-{stamp}.pem"));
        let key = dir.join(format!("key-{stamp}.pem"));
        std::fs::write(&cert, &pki.cert_pem).expect("write the certificate");
        std::fs::write(&key, &pki.key_pem).expect("write the key");
        cmd.arg("--tls-cert").arg(&cert).arg("--tls-key").arg(&key);
        files = vec![cert, key];
    }
    WebServer {
        server: hello_tests::process::Server::spawn("hello-server", cmd),
        tls: pki.is_some(),
        files,
    }
}

/// A new test CA and certificate, the CA written under target/ for the peers to trust.
pub fn pki() -> (Pki, PathBuf) {
    let pki = Pki::new();
    let dir = repo_root().join("target/web-tests");
    std::fs::create_dir_all(&dir).expect("target/web-tests");
    let file = dir.join(format!("ca-{}-{}.pem", std::process::id(), stamp()));
    std::fs::write(&file, &pki.ca_pem).expect("write the CA");
    (pki, file)
}

fn stamp() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// The peers' paths, from scripts/web-env.sh (installed on first use; cached under target/web-env).
pub fn env() -> &'static HashMap<String, String> {
    static ENV: OnceLock<HashMap<String, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let out = Command::new(repo_root().join("scripts/web-env.sh"))
            .output()
            .expect("run scripts/web-env.sh");
        assert!(
            out.status.success(),
            "scripts/web-env.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    })
}

/// A peer's path by its key in scripts/web-env.sh's output.
pub fn peer(key: &str) -> String {
    env()
        .get(key)
        .unwrap_or_else(|| panic!("scripts/web-env.sh printed no {key}="))
        .clone()
}

/// Runs `cmd` to its end (at most `limit`), returning its output.
pub fn run(mut cmd: Command, limit: Duration) -> Output {
    let shown = format!("{cmd:?}");
    let child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap_or_else(|e| panic!("{shown}: {e}")),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("{shown} did not finish within {limit:?}");
        }
    }
}

/// An HTTP exchange as curl reports it: the status, the headers (lowercase names) and the body.
#[derive(Debug)]
pub struct Exchange {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The Connect error code of a JSON error body (`"code":"not_found"`).
    pub fn error_code(&self) -> String {
        let text = self.text();
        text.split("\"code\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no error code in {text:?}"))
            .to_owned()
    }
}

/// curl with `args` (add the URL), the body from `body` when given; `-s -D` parsed into an [`Exchange`].
pub fn curl(args: &[&str], body: Option<&[u8]>) -> Exchange {
    let dir = repo_root().join("target/web-tests");
    std::fs::create_dir_all(&dir).expect("target/web-tests");
    let stamp = format!("{}-{}", std::process::id(), stamp());
    let head = dir.join(format!("head-{stamp}"));
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "--max-time", "20", "-D"])
        .arg(&head)
        .args(args);
    let body_file = body.map(|body| {
        let file = dir.join(format!("body-{stamp}"));
        std::fs::write(&file, body).expect("write the request body");
        cmd.arg("--data-binary").arg(format!("@{}", file.display()));
        file
    });
    let out = run(cmd, Duration::from_secs(30));
    if let Some(file) = body_file {
        let _ = std::fs::remove_file(file);
    }
    assert!(
        out.status.success(),
        "curl {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let head_text = std::fs::read_to_string(&head).expect("curl's header dump");
    let _ = std::fs::remove_file(&head);
    // With a 100 Continue or the like, the last block is the answer.
    let block = head_text
        .split("\r\n\r\n")
        .filter(|b| !b.trim().is_empty())
        .last()
        .unwrap_or("");
    let mut lines = block.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head_text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Exchange {
        status,
        headers,
        body: out.stdout,
    }
}
