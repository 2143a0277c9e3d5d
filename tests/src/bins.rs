//! The `hello` package's binaries (`hello-server`, `hello-client`), built by cargo on first use.
//!
//! Cargo gives a test the path of its own package's binaries only, so these are built with the same cargo, profile
//! and target directory as the running test: `cargo build --workspace --bins`, the command scripts/test.sh runs
//! before the tests, so that there it is a no-op (building `-p hello` alone would pick other features and build
//! everything again). It also means a test never runs a stale binary.

use crate::process;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The directory cargo puts binaries of the running test's profile in (`target/debug`, ...).
fn profile_dir() -> PathBuf {
    // The test runs as target/<profile>/deps/<test>-<hash>.
    let exe = std::env::current_exe().expect("the test knows its own path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("a test runs from target/<profile>/deps")
        .to_path_buf()
}

/// The path of `hello`'s binary `name`, built (or found fresh) on first use.
pub fn hello_bin(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    let dir = profile_dir();
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(process::repo_root())
            .args(["build", "--quiet", "--workspace", "--bins"]);
        // Cargo gives the test the variables of the hello-tests package. Some build scripts (ring's) watch
        // CARGO_MANIFEST_DIR, so passing them on would rebuild half the dependency graph on every test run.
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            let package_var = key.starts_with("CARGO_PKG_")
                || key.starts_with("CARGO_MANIFEST_")
                || matches!(
                    &*key,
                    "OUT_DIR" | "CARGO_CRATE_NAME" | "CARGO_PRIMARY_PACKAGE" | "CARGO_BIN_NAME"
                );
            if package_var {
                cmd.env_remove(&*key);
            }
        }
        if dir.file_name().is_some_and(|p| p == "release") {
            cmd.arg("--release");
        }
        // A build from scratch takes minutes on a small machine: a generous limit, only against a hang.
        process::run_within(
            "cargo build --workspace --bins",
            cmd,
            Duration::from_secs(40 * 60),
        )
        .expect_success("cargo build --workspace --bins");
    });
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing after cargo build --workspace --bins",
        path.display()
    );
    path
}
