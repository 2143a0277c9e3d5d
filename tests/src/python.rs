//! The Python peers: the seed's `hello_client.py` and `hello_server.py` (grpcio, code from grpcio-tools) and our
//! stricter `tests/python/check_server.py`.
//!
//! [`env`] runs `scripts/python-env.sh` once per test process: it makes or reuses the venv under `target/pyenv`.
//! If that cannot be done the tests fail with the script's reason; they are never skipped.

use crate::process::{self, Finished, Server};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The venv's interpreter and the directory of generated and patched Python code.
#[derive(Debug)]
pub struct PythonEnv {
    pub python: PathBuf,
    pub gen_dir: PathBuf,
}

/// The Python environment, set up on first use.
pub fn env() -> &'static PythonEnv {
    static ENV: OnceLock<PythonEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let script = process::repo_root().join("scripts/python-env.sh");
        let done = process::run("scripts/python-env.sh", Command::new(&script));
        if !done.status.success() {
            panic!(
                "the Python peers of the wire tests could not be set up: {} failed ({}).\n{}{}",
                script.display(),
                done.status,
                done.stderr,
                done.stdout
            );
        }
        let mut lines = done.stdout.lines().map(PathBuf::from);
        match (lines.next(), lines.next()) {
            (Some(python), Some(gen_dir)) => PythonEnv { python, gen_dir },
            _ => panic!(
                "scripts/python-env.sh printed {:?}, not the python and gen paths",
                done.stdout
            ),
        }
    })
}

impl PythonEnv {
    /// `python <script>`, finding the generated modules, printing UTF-8 whatever the locale.
    pub fn command(&self, script: impl Into<PathBuf>) -> Command {
        let mut cmd = Command::new(&self.python);
        cmd.arg(script.into())
            .env("PYTHONPATH", &self.gen_dir)
            .env("PYTHONIOENCODING", "utf-8")
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1");
        cmd
    }

    /// Runs the seed's client, unchanged but for the address it dials, against `addr`.
    pub fn run_seed_client(&self, addr: SocketAddr) -> Finished {
        let mut cmd = self.command(self.gen_dir.join("hello_client.py"));
        cmd.env("HELLO_ADDR", addr.to_string());
        process::run("the seed's hello_client.py", cmd)
    }

    /// Starts the seed's server on a free port of 127.0.0.1.
    pub fn spawn_seed_server(&self) -> Server {
        let mut cmd = self.command(self.gen_dir.join("hello_server.py"));
        cmd.env("HELLO_ADDR", "127.0.0.1:0");
        Server::spawn("the seed's hello_server.py", cmd)
    }

    /// Runs `tests/python/check_server.py` against `addr`, with the feature database the server was given.
    pub fn run_checker(&self, addr: SocketAddr, features_json: &std::path::Path) -> Finished {
        let mut cmd = self.command(process::repo_root().join("tests/python/check_server.py"));
        cmd.arg("--addr")
            .arg(addr.to_string())
            .arg("--features")
            .arg(features_json);
        process::run("tests/python/check_server.py", cmd)
    }
}
