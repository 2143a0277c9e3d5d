//! Gathers described types and services, then lays them out as a `FileDescriptorSet`: one file per
//! package, types in the order they were reached, imports between packages, deterministic to the byte.

use std::any::{TypeId, type_name};
use std::collections::HashMap;
use std::fmt;

use prost_types::source_code_info::Location;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FileDescriptorProto, FileDescriptorSet,
    MethodDescriptorProto, ServiceDescriptorProto, SourceCodeInfo,
};

use crate::schema::describe::{Describe, Docs, TypeDescriptor, full_name};
use crate::schema::proto_text::comment_spans;
use crate::schema::service_info::ServiceInfo;
use crate::schema::wkt;
use prost_types::method_options::IdempotencyLevel;

/// Why a set of descriptors could not be built; every problem found, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    problems: Vec<String>,
}

impl SchemaError {
    /// Each problem, readable on its own.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for SchemaError {}

struct Registered {
    /// The `.proto` file it is declared in.
    file: String,
    name: &'static str,
    type_id: TypeId,
    rust_name: &'static str,
    descriptor: TypeDescriptor,
    docs: Docs,
}

/// The types and services that go into one `FileDescriptorSet`.
///
/// Adding a type adds every type it reaches; adding a service adds its methods' messages. The order of
/// adding is the order of declaration in the files, so the same program always builds the same bytes.
#[derive(Default)]
pub struct Registry {
    types: Vec<Registered>,
    by_name: HashMap<String, usize>,
    services: Vec<(&'static str, ServiceDescriptorProto)>,
    /// Files and their packages in the order first met: the order of the files before imports reorder them.
    files: Vec<(String, &'static str)>,
    /// The rustdoc of each service (by full name) and of its methods (by gRPC name).
    service_docs: Vec<(String, Docs)>,
    /// Whether `build` gives the files `SourceCodeInfo` (the rustdoc as comments), as protoc's
    /// `--include_source_info`.
    source_info: bool,
    problems: Vec<String>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether [`Self::build`] gives each file `SourceCodeInfo`: the rustdoc of its services, methods, messages,
    /// fields, enums and values as leading comments, which reflection clients show and [`crate::to_proto_texts`]
    /// writes. Off by default, as protoc's `--include_source_info` is.
    pub fn include_source_info(&mut self, include: bool) -> &mut Self {
        self.source_info = include;
        self
    }

    /// Adds `T` and, transitively, every type it refers to.
    pub fn add<T: Describe>(&mut self) -> &mut Self {
        let name = T::full_name();
        if let Some(&index) = self.by_name.get(&name) {
            let existing = &self.types[index];
            // A fixed file's type may have several Rust faces (`Vec<u8>` and `Bytes` are both BytesValue).
            if existing.type_id != TypeId::of::<T>() && T::FILE.is_none() {
                self.problems.push(format!(
                    "{name}: two Rust types have this protobuf name, {} and {}",
                    existing.rust_name,
                    type_name::<T>()
                ));
            }
            return self;
        }
        // Recorded before its dependencies, so a recursive message stops here the second time.
        self.by_name.insert(name, self.types.len());
        let file = T::FILE.map_or_else(|| file_name(T::PACKAGE), str::to_owned);
        self.note_file(&file, T::PACKAGE);
        self.types.push(Registered {
            file,
            name: T::NAME,
            type_id: TypeId::of::<T>(),
            rust_name: type_name::<T>(),
            descriptor: T::descriptor(),
            docs: T::docs(),
        });
        T::register_dependencies(self);
        self
    }

    /// Adds a service and the messages of its methods, which must derive [`Describe`].
    pub fn add_service(&mut self, service: &ServiceInfo) -> &mut Self {
        self.note_file(&file_name(service.package), service.package);
        let mut method = Vec::with_capacity(service.methods.len());
        for info in service.methods {
            let mut type_of =
                |message: Option<crate::MessageRef>, side: &str, rust: &str| match message {
                    Some(message) => {
                        message.register(self);
                        format!(".{}", message.full_name())
                    }
                    None => {
                        self.problems.push(format!(
                            "{}.{}: the {side} message `{rust}` does not derive hello::Describe",
                            service.full_name, info.name
                        ));
                        String::new()
                    }
                };
            let input_type = type_of(info.input_descriptor, "input", info.input_type);
            let output_type = type_of(info.output_descriptor, "output", info.output_type);
            method.push(MethodDescriptorProto {
                name: Some(info.name.to_owned()),
                input_type: Some(input_type),
                output_type: Some(output_type),
                options: (info.idempotency != IdempotencyLevel::IdempotencyUnknown).then(|| {
                    let mut options = prost_types::MethodOptions::default();
                    options.set_idempotency_level(info.idempotency);
                    options
                }),
                // protoc leaves the flags unset rather than false.
                client_streaming: info.kind.client_streaming().then_some(true),
                server_streaming: info.kind.server_streaming().then_some(true),
            });
        }
        self.service_docs.push((
            service.full_name.to_owned(),
            Docs {
                comment: service.docs.to_owned(),
                members: service
                    .methods
                    .iter()
                    .map(|m| (m.name.to_owned(), m.docs.to_owned()))
                    .collect(),
            },
        ));
        self.services.push((
            service.package,
            ServiceDescriptorProto {
                name: Some(service.name.to_owned()),
                method,
                options: None,
            },
        ));
        self
    }

    fn note_file(&mut self, file: &str, package: &'static str) {
        if !self.files.iter().any(|(f, _)| f == file) {
            self.files.push((file.to_owned(), package));
        }
    }

    /// The descriptors of everything added: one file per package, each after the files it imports.
    pub fn build(&self) -> Result<FileDescriptorSet, SchemaError> {
        let mut problems = self.problems.clone();
        self.check_methods(&mut problems);
        let mut files: Vec<FileDescriptorProto> = Vec::with_capacity(self.files.len());
        for (name, package) in &self.files {
            // A well-known file is laid out whole, as protoc ships it, whichever of its types were reached.
            match wkt::file(name) {
                Some(fixed) => files.push(fixed),
                None => {
                    let mut file = self.file(name, package, &mut problems);
                    file.dependency = self.imports(&file);
                    files.push(file);
                }
            }
        }
        let files = dependency_order(files, &mut problems);
        if problems.is_empty() {
            let mut set = FileDescriptorSet { file: files };
            if self.source_info {
                self.add_comments(&mut set);
            }
            Ok(set)
        } else {
            Err(SchemaError { problems })
        }
    }

    fn check_methods(&self, problems: &mut Vec<String>) {
        for (package, service) in &self.services {
            for method in &service.method {
                for name in [method.input_type(), method.output_type()] {
                    let known = name.strip_prefix('.').and_then(|n| self.by_name.get(n));
                    if let Some(&index) = known
                        && self.types[index].descriptor.as_message().is_none()
                    {
                        problems.push(format!(
                            "{}.{}: {} is an enum, not a message",
                            full_name(package, service.name()),
                            method.name(),
                            &name[1..]
                        ));
                    }
                }
            }
        }
    }

    /// The file `name` of `package`, its top-level types in order and nested types inside their parents.
    fn file(&self, name: &str, package: &str, problems: &mut Vec<String>) -> FileDescriptorProto {
        let mut file = FileDescriptorProto {
            name: Some(name.to_owned()),
            package: (!package.is_empty()).then(|| package.to_owned()),
            syntax: Some("proto3".to_owned()),
            ..Default::default()
        };
        let mut members: Vec<&Registered> = self.types.iter().filter(|t| t.file == name).collect();
        // Parents before children; the sort is stable, so reaching order holds within a depth.
        members.sort_by_key(|t| t.name.matches('.').count());
        for member in members {
            match member.name.rsplit_once('.') {
                None => match &member.descriptor {
                    TypeDescriptor::Message(m) => file.message_type.push(m.clone()),
                    TypeDescriptor::Enum(e) => file.enum_type.push(e.clone()),
                },
                Some((parent, _)) => match find_message(&mut file.message_type, parent) {
                    Some(parent) => match &member.descriptor {
                        TypeDescriptor::Message(m) => {
                            // Declared nested messages come before the map entries of the fields.
                            let at = parent
                                .nested_type
                                .iter()
                                .take_while(|n| !is_map_entry(n))
                                .count();
                            parent.nested_type.insert(at, m.clone());
                        }
                        TypeDescriptor::Enum(e) => parent.enum_type.push(e.clone()),
                    },
                    None => problems.push(format!(
                        "{}: nested in {}, which no registered type is (derive Describe for it and refer to it)",
                        full_name(package, member.name),
                        full_name(package, parent)
                    )),
                },
            }
        }
        file.service = self
            .services
            .iter()
            .filter(|(p, _)| file_name(p) == name)
            .map(|(_, s)| s.clone())
            .collect();
        file
    }

    /// Gives each file the rustdoc of its elements as `SourceCodeInfo`: leading comments, with the spans of the
    /// elements in the `.proto` text [`crate::to_proto_texts`] emits (which writes the comments too).
    fn add_comments(&self, set: &mut FileDescriptorSet) {
        for index in 0..set.file.len() {
            let file = &set.file[index];
            if wkt::is_well_known_file(file.name()) {
                continue;
            }
            let mut location = Vec::new();
            self.file_comments(file, &mut location);
            if location.is_empty() {
                continue;
            }
            set.file[index].source_code_info = Some(SourceCodeInfo { location });
            let spans = comment_spans(set, &set.file[index]);
            if let Some(info) = set.file[index].source_code_info.as_mut() {
                for location in &mut info.location {
                    location.span = spans.get(&location.path).cloned().unwrap_or_default();
                }
            }
        }
    }

    fn file_comments(&self, file: &FileDescriptorProto, out: &mut Vec<Location>) {
        let package = file.package();
        for (index, service) in file.service.iter().enumerate() {
            let path = vec![6, index as i32];
            let docs = self
                .service_docs
                .iter()
                .find(|(name, _)| *name == full_name(package, service.name()))
                .map(|(_, docs)| docs);
            if let Some(docs) = docs {
                push_comment(out, &path, &docs.comment);
                for (m, method) in service.method.iter().enumerate() {
                    if let Some(text) = docs.member(method.name()) {
                        push_comment(out, &[path.clone(), vec![2, m as i32]].concat(), text);
                    }
                }
            }
        }
        for (index, message) in file.message_type.iter().enumerate() {
            self.message_comments(
                message,
                &full_name(package, message.name()),
                vec![4, index as i32],
                out,
            );
        }
        for (index, enumeration) in file.enum_type.iter().enumerate() {
            self.enum_comments(
                enumeration,
                &full_name(package, enumeration.name()),
                vec![5, index as i32],
                out,
            );
        }
    }

    fn docs_of(&self, full_name: &str) -> Option<&Docs> {
        self.by_name.get(full_name).map(|&i| &self.types[i].docs)
    }

    fn message_comments(
        &self,
        message: &DescriptorProto,
        name: &str,
        path: Vec<i32>,
        out: &mut Vec<Location>,
    ) {
        if let Some(docs) = self.docs_of(name) {
            push_comment(out, &path, &docs.comment);
            for (index, field) in message.field.iter().enumerate() {
                if let Some(text) = docs.member(field.name()) {
                    push_comment(out, &[path.clone(), vec![2, index as i32]].concat(), text);
                }
            }
        }
        for (index, nested) in message.nested_type.iter().enumerate() {
            let nested_name = format!("{name}.{}", nested.name());
            self.message_comments(
                nested,
                &nested_name,
                [path.clone(), vec![3, index as i32]].concat(),
                out,
            );
        }
        for (index, enumeration) in message.enum_type.iter().enumerate() {
            let enum_name = format!("{name}.{}", enumeration.name());
            self.enum_comments(
                enumeration,
                &enum_name,
                [path.clone(), vec![4, index as i32]].concat(),
                out,
            );
        }
    }

    fn enum_comments(
        &self,
        enumeration: &EnumDescriptorProto,
        name: &str,
        path: Vec<i32>,
        out: &mut Vec<Location>,
    ) {
        if let Some(docs) = self.docs_of(name) {
            push_comment(out, &path, &docs.comment);
            for (index, value) in enumeration.value.iter().enumerate() {
                if let Some(text) = docs.member(value.name()) {
                    push_comment(out, &[path.clone(), vec![2, index as i32]].concat(), text);
                }
            }
        }
    }

    /// The files `file` needs, in the order its declarations first refer to them.
    fn imports(&self, file: &FileDescriptorProto) -> Vec<String> {
        let mut names = Vec::new();
        for message in &file.message_type {
            referenced_types(message, &mut names);
        }
        for service in &file.service {
            for method in &service.method {
                names.push(method.input_type().to_owned());
                names.push(method.output_type().to_owned());
            }
        }
        let mut imports = Vec::new();
        for name in names {
            let declared_in = name
                .strip_prefix('.')
                .and_then(|n| self.by_name.get(n))
                .map(|&i| &self.types[i].file);
            if let Some(import) = declared_in
                && import != file.name()
                && !imports.contains(import)
            {
                imports.push(import.clone());
            }
        }
        imports
    }
}

impl ServiceInfo {
    /// The descriptors of this service and of every message it reaches.
    ///
    /// Every message of its methods must derive [`Describe`]; the error names those that do not.
    pub fn file_descriptor_set(&self) -> Result<FileDescriptorSet, SchemaError> {
        Registry::new().add_service(self).build()
    }

    /// [`Self::file_descriptor_set`] with `SourceCodeInfo`: the rustdoc of the service, its methods, messages,
    /// fields, enums and values as comments, for reflection clients (grpcurl describe, buf curl) and for the
    /// `.proto` text [`crate::to_proto_texts`] writes. Serve this one to reflection to show the documentation.
    pub fn file_descriptor_set_with_source_info(&self) -> Result<FileDescriptorSet, SchemaError> {
        Registry::new()
            .include_source_info(true)
            .add_service(self)
            .build()
    }
}

/// A location carrying `text` (rustdoc, one line per `///`) as protoc's leading comment; the span comes later.
fn push_comment(out: &mut Vec<Location>, path: &[i32], text: &str) {
    if text.trim().is_empty() {
        return;
    }
    let mut leading = text.trim_end_matches('\n').to_owned();
    leading.push('\n');
    out.push(Location {
        path: path.to_vec(),
        span: Vec::new(),
        leading_comments: Some(leading),
        trailing_comments: None,
        leading_detached_comments: Vec::new(),
    });
}

/// The file of a package: `hello` -> `hello.proto`, `a.b` -> `a/b.proto`.
pub fn file_name(package: &str) -> String {
    if package.is_empty() {
        "unnamed.proto".to_owned()
    } else {
        format!("{}.proto", package.replace('.', "/"))
    }
}

fn is_map_entry(message: &DescriptorProto) -> bool {
    message.options.as_ref().is_some_and(|o| o.map_entry())
}

fn find_message<'a>(
    messages: &'a mut [DescriptorProto],
    path: &str,
) -> Option<&'a mut DescriptorProto> {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    let message = messages.iter_mut().find(|m| m.name() == first)?;
    match rest {
        None => Some(message),
        Some(rest) => find_message(&mut message.nested_type, rest),
    }
}

fn referenced_types(message: &DescriptorProto, names: &mut Vec<String>) {
    for field in &message.field {
        if let Some(name) = &field.type_name {
            names.push(name.clone());
        }
    }
    for nested in &message.nested_type {
        referenced_types(nested, names);
    }
}

/// Files ordered so each comes after the files it imports (as protoc's descriptor sets are).
fn dependency_order(
    files: Vec<FileDescriptorProto>,
    problems: &mut Vec<String>,
) -> Vec<FileDescriptorProto> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Visiting,
        Done,
    }
    fn visit(
        at: usize,
        files: &[FileDescriptorProto],
        marks: &mut [Mark],
        order: &mut Vec<usize>,
        problems: &mut Vec<String>,
    ) {
        match marks[at] {
            Mark::Done => return,
            Mark::Visiting => {
                problems.push(format!(
                    "{}: the packages import each other in a cycle, which .proto files cannot",
                    files[at].name()
                ));
                return;
            }
            Mark::New => {}
        }
        marks[at] = Mark::Visiting;
        for dependency in &files[at].dependency {
            if let Some(next) = files.iter().position(|f| f.name() == dependency) {
                visit(next, files, marks, order, problems);
            }
        }
        marks[at] = Mark::Done;
        order.push(at);
    }
    let mut marks = vec![Mark::New; files.len()];
    let mut order = Vec::with_capacity(files.len());
    for at in 0..files.len() {
        visit(at, &files, &mut marks, &mut order, problems);
    }
    let mut files: Vec<Option<FileDescriptorProto>> = files.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| files[i].take()).collect()
}
