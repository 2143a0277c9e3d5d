//! `.proto` files compiled by the pure-Rust protox, as protoc would: the reference that descriptors built from Rust
//! are compared with.

use prost_types::FileDescriptorSet;
use protox::file::{File, FileResolver};
use std::collections::HashMap;
use std::path::Path;

/// Compiles `files` (name, text) held in memory, with every import, without source info; panics with protox's
/// message.
pub fn compile(files: &[(&str, &str)]) -> FileDescriptorSet {
    try_compile(files).unwrap_or_else(|e| panic!("protox rejected the files: {e:?}\n{files:#?}"))
}

/// Same as [`compile`], keeping protox's error.
pub fn try_compile(files: &[(&str, &str)]) -> Result<FileDescriptorSet, protox::Error> {
    let sources = files
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut compiler = protox::Compiler::with_file_resolver(InMemory(sources));
    compiler.include_imports(true).include_source_info(false);
    for (name, _) in files {
        compiler.open_file(name)?;
    }
    Ok(compiler.file_descriptor_set())
}

/// Compiles owned `(name, text)` pairs, as `hello::schema::to_proto_texts` returns them.
pub fn compile_owned(files: &[(String, String)]) -> FileDescriptorSet {
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    compile(&borrowed)
}

/// Compiles the files `names` found in `dir`, with every import and with source info, as
/// `protoc --include_imports --include_source_info` would.
pub fn compile_dir(dir: &Path, names: &[&str]) -> FileDescriptorSet {
    protox::compile(names, [dir])
        .unwrap_or_else(|e| panic!("protox rejected {names:?} in {}: {e:?}", dir.display()))
}

/// Resolves file names to the texts it holds.
struct InMemory(HashMap<String, String>);

impl FileResolver for InMemory {
    fn resolve_path(&self, path: &Path) -> Option<String> {
        path.to_str().map(str::to_owned)
    }

    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.0.get(name) {
            Some(source) => File::from_source(name, source),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}
