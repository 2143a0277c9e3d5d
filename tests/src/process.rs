//! Child processes for the wire tests: servers that announce their address, and programs run to completion.
//!
//! Every wait is bounded, so a peer that hangs fails its test with what it printed instead of hanging CI.
//! The bounds are generous hang guards, not timing assertions.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server may take to say `listening on ...`, and a program to finish.
pub const HANG_GUARD: Duration = Duration::from_secs(120);

/// Awaits `f`, failing the test with `what` if it takes longer than [`HANG_GUARD`] (a peer that never answers).
pub async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(HANG_GUARD, f).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no answer in {HANG_GUARD:?}"),
    }
}

/// The repository's root directory (the parent of this crate).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Collects a pipe's bytes in a background thread, so a chatty child never blocks on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static) -> (Arc<Mutex<Vec<u8>>>, thread::JoinHandle<()>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = buf.clone();
    let done = thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(&chunk[..n]);
        }
    });
    (buf, done)
}

fn text(buf: &Arc<Mutex<Vec<u8>>>) -> String {
    String::from_utf8_lossy(&buf.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

/// A server process that printed `listening on <ip:port>`; killed when dropped.
pub struct Server {
    name: String,
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Option<thread::JoinHandle<()>>,
    addr: SocketAddr,
}

impl Server {
    /// Starts `cmd` and waits for its first stdout line, which must be `listening on <ip:port>`.
    pub fn spawn(name: &str, mut cmd: Command) -> Server {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        let (stderr, stderr_done) = drain(child.stderr.take().expect("stderr is piped"));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout);
            let mut first = String::new();
            let read = lines.read_line(&mut first).map(|_| first);
            let _ = tx.send(read);
            // Keep reading so that anything printed later never blocks the server.
            let mut rest = Vec::new();
            let _ = lines.read_to_end(&mut rest);
        });
        let mut server = Server {
            name: name.to_owned(),
            child,
            stderr,
            stderr_done: Some(stderr_done),
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        };
        let line = match rx.recv_timeout(HANG_GUARD) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => server.fail(&format!("reading its stdout failed: {e}")),
            Err(_) => server.fail("it did not print `listening on ...` in time"),
        };
        match line
            .trim_end()
            .strip_prefix("listening on ")
            .map(str::parse::<SocketAddr>)
        {
            Some(Ok(addr)) => server.addr = addr,
            _ => server.fail(&format!(
                "its first line was {line:?}, not `listening on <ip:port>`"
            )),
        }
        server
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ip:port`, for tonic clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What it wrote to stderr so far.
    pub fn stderr(&self) -> String {
        text(&self.stderr)
    }

    fn fail(&mut self, why: &str) -> ! {
        let _ = self.child.kill();
        let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
        if let Some(done) = self.stderr_done.take() {
            let _ = done.join(); // the child is gone, so its stderr is closed: this takes the last of it
        }
        panic!(
            "{}: {why} ({status}); its stderr:\n{}",
            self.name,
            self.stderr()
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a program run to completion printed.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    /// From start to exit.
    pub took: Duration,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// Panics, showing both outputs, unless the program exited with success.
    pub fn expect_success(self, name: &str) -> Finished {
        if !self.status.success() {
            panic!(
                "{name} failed ({}).\n--- stdout:\n{}\n--- stderr:\n{}",
                self.status, self.stdout, self.stderr
            );
        }
        self
    }
}

/// Runs `cmd` to completion (stdin closed), killing it after [`HANG_GUARD`].
pub fn run(name: &str, cmd: Command) -> Finished {
    run_within(name, cmd, HANG_GUARD)
}

/// Runs `cmd` to completion (stdin closed), killing it after `limit`.
pub fn run_within(name: &str, mut cmd: Command, limit: Duration) -> Finished {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
    let (stdout, out_done) = drain(child.stdout.take().expect("stdout is piped"));
    let (stderr, err_done) = drain(child.stderr.take().expect("stderr is piped"));
    let started = Instant::now();
    let deadline = started + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{name} did not finish in {limit:?}; stdout:\n{}\nstderr:\n{}",
                    text(&stdout),
                    text(&stderr)
                );
            }
            Err(e) => panic!("waiting for {name}: {e}"),
        }
    };
    // The pipes close when the child exits: the drain threads then end with every byte taken.
    let _ = out_done.join();
    let _ = err_done.join();
    Finished {
        status,
        took: started.elapsed(),
        stdout: text(&stdout),
        stderr: text(&stderr),
    }
}
