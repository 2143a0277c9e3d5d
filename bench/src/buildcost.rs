//! Build cost, opt-in (two clean release builds take minutes on 2 cores): the same service compiled two ways,
//! each as a small crate of its own in a fresh target directory.
//! - ours: `hello`'s `messages.rs` and `service.rs` (the trait under the macro), copied as they are;
//! - theirs: `proto/hello.proto` through protox + tonic-prost-build in build.rs (messages, client, server).
//!
//! Both depend on the same tonic features and use the workspace's Cargo.lock. Measured: a clean
//! `cargo build --release`, then rebuilds after touching the trait (ours) or the proto (theirs).

use serde::{Deserialize, Serialize};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Seconds of wall time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildCost {
    pub ours_clean_s: f64,
    pub theirs_clean_s: f64,
    /// Each rebuild after touching the source, several times.
    pub ours_touch_s: Vec<f64>,
    pub theirs_touch_s: Vec<f64>,
    pub commands: Vec<String>,
    /// When it was measured (the suite keeps the last measurement for later reports).
    #[serde(default)]
    pub measured_at: String,
}

const TONIC: &str = r#"tonic = { version = "0.14", default-features = false, features = ["transport", "codegen"] }
tonic-prost = "0.14"
prost = "0.14"
tokio-stream = "0.1""#;

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    let text =
        fs::read_to_string(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    write(to, &text)
}

/// Writes the two crates under `dir`.
fn make_crates(root: &Path, dir: &Path) -> Result<(), String> {
    let ours = dir.join("ours");
    let schema = root.join("hello-schema");
    write(
        &ours.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"buildcost-ours\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nhello-schema = {{ path = {:?} }}\n{TONIC}\n\n[workspace]\n",
            schema.display().to_string()
        ),
    )?;
    write(
        &ours.join("src/lib.rs"),
        "pub mod messages;\npub mod service;\n",
    )?;
    copy(
        &root.join("hello/src/messages.rs"),
        &ours.join("src/messages.rs"),
    )?;
    copy(
        &root.join("hello/src/service.rs"),
        &ours.join("src/service.rs"),
    )?;

    let theirs = dir.join("theirs");
    write(
        &theirs.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"buildcost-theirs\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{TONIC}\n\n[build-dependencies]\nprotox = \"0.10\"\n\
             tonic-prost-build = {{ version = \"0.14\", default-features = false, features = [\"transport\"] }}\n\n\
             [workspace]\n"
        ),
    )?;
    copy(
        &root.join("proto/hello.proto"),
        &theirs.join("proto/hello.proto"),
    )?;
    write(
        &theirs.join("build.rs"),
        "fn main() -> Result<(), Box<dyn std::error::Error>> {\n    \
         println!(\"cargo:rerun-if-changed=proto/hello.proto\");\n    \
         let fds = protox::compile([\"proto/hello.proto\"], [\"proto\"])?;\n    \
         tonic_prost_build::configure().compile_fds(fds)?;\n    Ok(())\n}\n",
    )?;
    write(
        &theirs.join("src/lib.rs"),
        "pub mod hello {\n    include!(concat!(env!(\"OUT_DIR\"), \"/hello.rs\"));\n}\n",
    )?;
    for c in [&ours, &theirs] {
        fs::copy(root.join("Cargo.lock"), c.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    }
    Ok(())
}

/// `cargo build --release` in `krate` with its own target dir; seconds taken.
fn build(krate: &Path, commands: &mut Vec<String>) -> Result<f64, String> {
    let target = krate.join("target");
    let shown = format!(
        "cd {} && CARGO_TARGET_DIR={} cargo build --release",
        krate.display(),
        target.display()
    );
    if !commands.contains(&shown) {
        commands.push(shown.clone());
    }
    let start = Instant::now();
    let out = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!(
            "{shown} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(secs)
}

/// Rewrites a file with its own content: a new modification time, as an editor's save gives.
fn touch(path: &Path) -> Result<(), String> {
    let text = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Builds both crates clean, then rebuilds each three times after touching its definition.
pub fn measure(root: &Path, dir: &Path) -> Result<BuildCost, String> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Absolute paths: cargo runs in each crate's directory, and CARGO_TARGET_DIR must not be taken from there.
    let dir = &dir
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", dir.display()))?;
    make_crates(root, dir)?;
    let (ours, theirs) = (dir.join("ours"), dir.join("theirs"));
    let mut commands = Vec::new();
    eprintln!("build cost: clean release build of the macro crate ...");
    let ours_clean_s = build(&ours, &mut commands)?;
    eprintln!("build cost: clean release build of the tonic-build crate ...");
    let theirs_clean_s = build(&theirs, &mut commands)?;
    let (mut ours_touch_s, mut theirs_touch_s) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        touch(&ours.join("src/service.rs"))?;
        ours_touch_s.push(build(&ours, &mut commands)?);
        touch(&theirs.join("proto/hello.proto"))?;
        theirs_touch_s.push(build(&theirs, &mut commands)?);
    }
    // The copies are scratch; the measurements are what matters. Keep the target dirs out of the way.
    let _ = fs::remove_dir_all(ours.join("target"));
    let _ = fs::remove_dir_all(theirs.join("target"));
    Ok(BuildCost {
        ours_clean_s,
        theirs_clean_s,
        ours_touch_s,
        theirs_touch_s,
        commands,
        measured_at: Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default(),
    })
}
