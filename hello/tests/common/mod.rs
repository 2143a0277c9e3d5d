//! Compiles `.proto` text held in memory with protox, as protoc would, for comparing with our descriptors.

#![allow(dead_code)] // each test file uses part of it

use std::collections::HashMap;
use std::path::Path;

use prost_types::FileDescriptorSet;
use protox::file::{File, FileResolver};

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

/// Compiles `files` (name, text), with every import, without source info; panics with protox's message.
pub fn compile(files: &[(&str, &str)]) -> FileDescriptorSet {
    try_compile(files).unwrap_or_else(|e| panic!("protox rejected the files: {e:?}\n{files:#?}"))
}

/// Same as [`compile`], keeping protox's error.
pub fn try_compile(files: &[(&str, &str)]) -> Result<FileDescriptorSet, protox::Error> {
    let sources = files
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    let mut compiler = protox::Compiler::with_file_resolver(InMemory(sources));
    compiler.include_imports(true).include_source_info(false);
    for (name, _) in files {
        compiler.open_file(name)?;
    }
    Ok(compiler.file_descriptor_set())
}

/// Compiles owned `(name, text)` pairs, as `to_proto_texts` returns them.
pub fn compile_owned(files: &[(String, String)]) -> FileDescriptorSet {
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    compile(&borrowed)
}
