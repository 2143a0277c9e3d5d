//! `.proto` files to descriptors with protox: a file's own directory is its import path, then protobuf's own
//! files (`google/protobuf/timestamp.proto` ...) as protox ships them.

use std::fmt;
use std::path::{Path, PathBuf};

use prost_types::FileDescriptorSet;
use protox::file::{ChainFileResolver, GoogleFileResolver, IncludeFileResolver};

/// A `.proto` file protox could not compile: its message says where (`old.proto:3:9: expected ...`).
#[derive(Debug)]
pub struct CompileError {
    path: PathBuf,
    error: protox::Error,
}

impl CompileError {
    /// The file that was being compiled.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // protox's Debug form is the one with the file, line and column (the file as named in its directory).
        write!(
            f,
            "cannot compile {}: {:?}",
            self.path.display(),
            self.error
        )
    }
}

impl std::error::Error for CompileError {}

/// Compiles the file at `path` with its imports (from its directory, then protobuf's own), without source info,
/// and names it `name` in the descriptors: a baseline kept as `baseline/hello.proto` compares as `hello.proto`.
pub fn compile_as(path: &Path, name: &str) -> Result<FileDescriptorSet, CompileError> {
    let mut set = compile(path)?;
    // The opened file comes after its imports.
    if let Some(main) = set.file.last_mut() {
        main.name = Some(name.to_owned());
    }
    Ok(set)
}

/// Compiles the file at `path` under its own file name, with its imports (from its directory, then protobuf's
/// own files), without source info. Errors name the file, line and column.
pub fn compile(path: &Path) -> Result<FileDescriptorSet, CompileError> {
    let fail = |error| CompileError {
        path: path.to_owned(),
        error,
    };
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if !path.is_file() {
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        return Err(fail(protox::Error::new(missing)));
    }
    let mut resolver = ChainFileResolver::new();
    resolver.add(IncludeFileResolver::new(directory.to_owned()));
    resolver.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true).include_source_info(false);
    compiler.open_file(name).map_err(fail)?;
    Ok(compiler.file_descriptor_set())
}
