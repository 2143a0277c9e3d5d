//! What the issue-13 tests share (flood, trailers_only, overload, balancer): `hello-server` replicas as child
//! processes whose memory and signals the test controls, and the third-party peers (grpcio, grpc-js, haproxy).
#![allow(dead_code)] // each test binary uses its own part

use hello_tests::bins::hello_bin;
use hello_tests::process::{self, Finished};
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// How long a peer program may run before it is declared hung (not a timing assertion).
pub const PEER_GUARD: Duration = Duration::from_secs(600);

/// A `hello-server` process: its address, its pid (for memory and signals), its stderr.
pub struct Replica {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Replica {
    /// Starts `hello-server --addr <addr> <args>` and waits for its `listening on` line.
    pub fn start(addr: &str, args: &[&str]) -> Replica {
        let mut cmd = Command::new(hello_bin("hello-server"));
        cmd.arg("--addr")
            .arg(addr)
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start hello-server");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().expect("piped");
        thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = err.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        out.read_line(&mut line)
            .expect("read hello-server's stdout");
        thread::spawn(move || {
            let mut rest = Vec::new();
            let _ = out.read_to_end(&mut rest);
        });
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("hello-server said {line:?}"));
        Replica {
            child,
            addr,
            stderr,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Resident memory now and at its peak, in KiB (`VmRSS`, `VmHWM` of /proc/<pid>/status).
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc/<pid>/status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("no {name} in /proc status"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    pub fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(ok.success(), "kill -{signal} {}", self.pid());
    }

    /// Waits for the process to exit; its exit code (None: killed by a signal).
    pub fn wait(&mut self, limit: Duration) -> Option<i32> {
        let until = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            assert!(
                Instant::now() < until,
                "hello-server did not exit within {limit:?}; stderr:\n{}",
                self.stderr()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `node` and the directory of the grpc-js packages, set up by scripts/node-env.sh on first use.
pub struct NodeEnv {
    pub node: PathBuf,
    pub modules: PathBuf,
}

pub fn node_env() -> &'static NodeEnv {
    static ENV: OnceLock<NodeEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let script = process::repo_root().join("scripts/node-env.sh");
        let done = process::run_within(
            "scripts/node-env.sh",
            Command::new(&script),
            Duration::from_secs(300),
        );
        assert!(
            done.status.success(),
            "the grpc-js peers could not be set up: {} failed.\n{}{}",
            script.display(),
            done.stderr,
            done.stdout
        );
        let mut lines = done.stdout.lines().map(PathBuf::from);
        match (lines.next(), lines.next()) {
            (Some(node), Some(dir)) => NodeEnv {
                node,
                modules: dir.join("node_modules"),
            },
            _ => panic!("scripts/node-env.sh printed {:?}", done.stdout),
        }
    })
}

/// A Node.js script of tests/node with the grpc-js packages on its path.
pub fn node_command(script: &str) -> Command {
    let env = node_env();
    let mut cmd = Command::new(&env.node);
    cmd.arg(process::repo_root().join("tests/node").join(script))
        .env("NODE_PATH", &env.modules);
    cmd
}

/// A Python script of tests/python with grpcio and the generated modules on its path.
pub fn python_command(script: &str) -> Command {
    hello_tests::python::env().command(process::repo_root().join("tests/python").join(script))
}

/// Runs a peer program and returns its last `ok ...` line, failing the test with everything it printed otherwise.
pub fn run_peer(name: &str, cmd: Command) -> String {
    let done: Finished = process::run_within(name, cmd, PEER_GUARD);
    let ok = done.stdout.lines().rev().find(|l| l.starts_with("ok "));
    match (done.status.success(), ok) {
        (true, Some(line)) => line.to_owned(),
        _ => panic!(
            "{name} failed ({}):\n--- stdout:\n{}\n--- stderr:\n{}",
            done.status, done.stdout, done.stderr
        ),
    }
}
