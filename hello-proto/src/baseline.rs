//! Holding a service against a committed baseline `.proto`: the one-line test of a schema's evolution.

use std::fmt;
use std::path::{Path, PathBuf};

use hello::breaking::{BreakingChanges, Category, breaking_changes};
use hello::{ServiceInfo, file_name, to_proto_texts};

use crate::compile::{CompileError, compile_as};

/// The environment variable that makes [`assert_compatible`] write the baseline instead of checking it.
pub const BLESS_VAR: &str = "HELLO_PROTO_BLESS";

/// Why a service does not hold against its baseline.
#[derive(Debug)]
pub enum BaselineError {
    /// The service's own descriptors could not be built (a message that does not derive `Describe`...).
    Schema(hello::SchemaError),
    /// The baseline is missing or does not compile.
    Baseline(CompileError),
    /// The baseline could not be written.
    Write(PathBuf, std::io::Error),
    /// The service breaks the baseline's users.
    Breaking(BreakingChanges),
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Schema(e) => write!(f, "the service's schema cannot be built:\n{e}"),
            Self::Baseline(e) => write!(f, "the baseline does not compile: {e}"),
            Self::Write(path, e) => write!(f, "cannot write the baseline {}: {e}", path.display()),
            Self::Breaking(changes) => write!(
                f,
                "the schema breaks its baseline ({} rules):\n{changes}",
                changes.category()
            ),
        }
    }
}

impl std::error::Error for BaselineError {}

/// Checks `service` against the baseline `.proto` at `baseline` with `category`'s rules; with
/// `HELLO_PROTO_BLESS=1` in the environment, writes the service's current `.proto` there instead.
///
/// The baseline is the `.proto` of the service's package (`hello.proto`); files of other packages it imports
/// sit beside it under their own names (`other/v1.proto`). protobuf's own files come from protox.
pub fn check_baseline(
    service: &ServiceInfo,
    baseline: impl AsRef<Path>,
    category: Category,
) -> Result<(), BaselineError> {
    let baseline = baseline.as_ref();
    let current = service
        .file_descriptor_set()
        .map_err(BaselineError::Schema)?;
    let main = file_name(service.package);
    if blessing() {
        return write_baseline(&current, &main, baseline);
    }
    let against = compile_as(baseline, &main).map_err(BaselineError::Baseline)?;
    let changes = breaking_changes(&against, &current, category);
    if changes.is_empty() {
        Ok(())
    } else {
        Err(BaselineError::Breaking(changes))
    }
}

fn blessing() -> bool {
    std::env::var_os(BLESS_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

fn write_baseline(
    set: &prost_types::FileDescriptorSet,
    main: &str,
    baseline: &Path,
) -> Result<(), BaselineError> {
    let directory = baseline.parent().unwrap_or(Path::new("."));
    for (name, text) in to_proto_texts(set) {
        let path = if name == main {
            baseline.to_owned()
        } else {
            directory.join(&name)
        };
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &text)
        };
        write().map_err(|e| BaselineError::Write(path.clone(), e))?;
    }
    Ok(())
}

/// Panics, listing every breaking change and how to accept them, unless `service` is compatible (WIRE_JSON,
/// buf's default) with the baseline `.proto` at `baseline`.
///
/// ```
/// # use hello::prelude::*;
/// # #[derive(Clone, PartialEq, prost::Message, Describe)]
/// # #[describe(package = "greeter.v1")]
/// # pub struct Greeting {
/// #     #[prost(string, tag = "1")]
/// #     pub text: String,
/// # }
/// # #[hello::service(package = "greeter.v1")]
/// # pub trait Greeter {
/// #     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status>;
/// # }
/// # fn main() {
/// # let dir = std::env::temp_dir().join(format!("hello-proto-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// # let baseline = dir.join("greeter.proto");
/// # std::fs::write(&baseline, hello::to_proto_texts(&GREETER_SERVICE.file_descriptor_set().unwrap())[0].1.clone()).unwrap();
/// // In a test: the committed baseline is tests/greeter.proto, say.
/// hello_proto::assert_compatible(&GREETER_SERVICE, &baseline);
/// # }
/// ```
///
/// When it fails, the message ends with the command that accepts an intended change by rewriting the baseline:
/// `HELLO_PROTO_BLESS=1 cargo test`.
#[track_caller]
pub fn assert_compatible(service: &ServiceInfo, baseline: impl AsRef<Path>) {
    assert_compatible_in(service, baseline, Category::WireJson);
}

/// [`assert_compatible`] with the rules of another category.
#[track_caller]
pub fn assert_compatible_in(service: &ServiceInfo, baseline: impl AsRef<Path>, category: Category) {
    let baseline = baseline.as_ref();
    if let Err(error) = check_baseline(service, baseline, category) {
        panic!(
            "{}: {error}\n\nIf the change is intended, accept it by regenerating the baseline:\n    \
             {BLESS_VAR}=1 cargo test\nand commit {}.",
            service.full_name,
            baseline.display()
        );
    }
}
