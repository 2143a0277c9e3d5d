//! The test harness every test crate of the workspace shares. It knows nothing of `hello` or its demo:
//! - [`Running`]: a server on 127.0.0.1:0 in the test's own runtime (any serve function, a tonic `Router`, or one
//!   service, in plaintext or TLS), stopped and awaited by [`Running::stop`];
//! - [`OnThread`]: the same on a runtime of its own, for sync tests and for counting the server's tasks;
//! - [`pki`]: a CA and a server certificate made on the spot;
//! - [`proto`]: `.proto` files, in memory or on disk, compiled by protox as protoc would;
//! - [`scratch`]: a fresh directory for one test.
//!
//! Every wait is bounded by [`HANG_GUARD`], so a hang fails instead of stalling CI.

pub mod pki;
pub mod proto;
mod running;
mod thread;

pub use running::{Running, Shutdown, incoming};
pub use thread::OnThread;

use std::path::PathBuf;
use std::time::Duration;

/// Not a timing assertion: the bound after which a test that should long have finished is declared hung.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// The address every test server binds: any free port on the loopback interface.
pub const LOCALHOST_ANY_PORT: &str = "127.0.0.1:0";

/// A fresh, empty scratch directory for one test, named after the process and `name`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hello-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("create scratch directory {}: {e}", dir.display()));
    dir
}
