//! `.proto` text from descriptors: deterministic, readable, in the order of the descriptors.
//!
//! Types are named as briefly as protobuf's scoping rules allow: a name is shortened only when the compiler
//! would resolve the short form to the same type.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use prost_types::field_descriptor_proto::{Label, Type};

use crate::schema::wkt::is_well_known_file;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet, ServiceDescriptorProto,
};

/// The `.proto` text of every file of `set`, as `(file name, text)`, in the set's order.
///
/// protobuf's own files (`google/protobuf/timestamp.proto` ...) are left out: every protobuf compiler ships
/// them, and the other files import them by those names.
pub fn to_proto_texts(set: &FileDescriptorSet) -> Vec<(String, String)> {
    let symbols = Symbols::of(&set.file);
    set.file
        .iter()
        .filter(|file| !is_well_known_file(file.name()))
        .map(|file| (file.name().to_owned(), emit_file(file, &symbols)))
        .collect()
}

/// The `.proto` text of one file. Types of other files are named in full (`.other.Message`), since
/// their neighbours are unknown here; [`to_proto_texts`] names them briefly where it is safe.
pub fn to_proto_text(file: &FileDescriptorProto) -> String {
    emit_file(file, &Symbols::of(std::slice::from_ref(file)))
}

/// Every name a relative type reference could resolve to: types and packages (and their prefixes).
struct Symbols(HashSet<String>);

impl Symbols {
    fn of(files: &[FileDescriptorProto]) -> Self {
        let mut names = HashSet::new();
        for file in files {
            let package = file.package();
            let mut prefix = String::new();
            for part in package.split('.').filter(|p| !p.is_empty()) {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                names.insert(prefix.clone());
            }
            for message in &file.message_type {
                add_message(&mut names, package, message);
            }
            for enumeration in &file.enum_type {
                names.insert(join(package, enumeration.name()));
            }
        }
        Self(names)
    }

    /// The shortest name for `target` (`.pkg.Type`) that resolves to it from `scope`.
    fn name_in(&self, target: &str, scope: &str) -> String {
        let Some(full) = target.strip_prefix('.') else {
            return target.to_owned(); // already relative: keep it as given
        };
        let parts: Vec<&str> = full.split('.').collect();
        for start in (0..parts.len()).rev() {
            let candidate = parts[start..].join(".");
            if self.resolve(&candidate, scope).as_deref() == Some(full) {
                return candidate;
            }
        }
        target.to_owned()
    }

    /// protoc's lookup: the innermost scope holding the first part wins, then the rest must follow.
    fn resolve(&self, name: &str, scope: &str) -> Option<String> {
        let first = name.split('.').next().unwrap_or(name);
        let mut scope = scope.to_owned();
        loop {
            let candidate = join(&scope, first);
            if self.0.contains(&candidate) {
                let whole = join(&scope, name);
                return self.0.contains(&whole).then_some(whole);
            }
            if scope.is_empty() {
                return None;
            }
            scope = match scope.rfind('.') {
                Some(at) => scope[..at].to_owned(),
                None => String::new(),
            };
        }
    }
}

fn add_message(names: &mut HashSet<String>, scope: &str, message: &DescriptorProto) {
    let name = join(scope, message.name());
    for nested in &message.nested_type {
        add_message(names, &name, nested);
    }
    for enumeration in &message.enum_type {
        names.insert(join(&name, enumeration.name()));
    }
    names.insert(name);
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

fn emit_file(file: &FileDescriptorProto, symbols: &Symbols) -> String {
    emit_file_with_spans(file, symbols).0
}

/// The spans, in the text [`to_proto_texts`] emits for `file`, of the elements its `SourceCodeInfo` comments on:
/// `(path, [start line, start column, end line, end column])`, 0-based as protoc gives them.
pub(crate) fn comment_spans(
    set: &FileDescriptorSet,
    file: &FileDescriptorProto,
) -> HashMap<Vec<i32>, Vec<i32>> {
    emit_file_with_spans(file, &Symbols::of(&set.file)).1
}

fn emit_file_with_spans(
    file: &FileDescriptorProto,
    symbols: &Symbols,
) -> (String, HashMap<Vec<i32>, Vec<i32>>) {
    let mut out = String::new();
    let syntax = match file.syntax() {
        "" => "proto2",
        other => other,
    };
    let _ = writeln!(out, "syntax = \"{syntax}\";");
    let package = file.package();
    if !package.is_empty() {
        let _ = writeln!(out, "\npackage {package};");
    }
    if !file.dependency.is_empty() {
        out.push('\n');
        for (index, dependency) in file.dependency.iter().enumerate() {
            let public = if file.public_dependency.contains(&(index as i32)) {
                "public "
            } else {
                ""
            };
            let _ = writeln!(out, "import {public}\"{dependency}\";");
        }
    }
    let emitter = Emitter {
        symbols,
        proto3: syntax == "proto3",
        comments: comments_of(file),
        spans: RefCell::new(HashMap::new()),
    };
    for (index, service) in file.service.iter().enumerate() {
        out.push('\n');
        emitter.service(&mut out, service, package, &[6, index as i32]);
    }
    for (index, message) in file.message_type.iter().enumerate() {
        out.push('\n');
        emitter.message(&mut out, message, package, 0, &[4, index as i32]);
    }
    for (index, enumeration) in file.enum_type.iter().enumerate() {
        out.push('\n');
        emitter.enumeration(&mut out, enumeration, 0, &[5, index as i32]);
    }
    (out, emitter.spans.into_inner())
}

/// The leading comment of each commented element, by its `SourceCodeInfo` path.
fn comments_of(file: &FileDescriptorProto) -> HashMap<Vec<i32>, String> {
    file.source_code_info
        .iter()
        .flat_map(|info| &info.location)
        .filter_map(|l| Some((l.path.clone(), l.leading_comments.clone()?)))
        .collect()
}

struct Emitter<'a> {
    symbols: &'a Symbols,
    proto3: bool,
    comments: HashMap<Vec<i32>, String>,
    /// Where each commented element was written: `[start line, start column, end line, end column]`.
    spans: RefCell<HashMap<Vec<i32>, Vec<i32>>>,
}

/// `path` with `more` appended: the path of a member.
fn child(path: &[i32], more: [i32; 2]) -> Vec<i32> {
    let mut child = path.to_vec();
    child.extend(more);
    child
}

/// The 0-based line the next character of `out` goes on.
fn line_of(out: &str) -> i32 {
    out.matches('\n').count() as i32
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

impl Emitter<'_> {
    /// Writes the element's comment, if it has one, as `//` lines; returns where the element starts.
    fn comment(&self, out: &mut String, path: &[i32], depth: usize) -> Option<(i32, i32)> {
        let text = self.comments.get(path)?;
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            indent(out, depth);
            let _ = writeln!(out, "//{line}");
        }
        Some((line_of(out), 2 * depth as i32))
    }

    /// Records the span of a commented element that started at `start` and ends before `out`'s last newline.
    fn span(&self, out: &str, path: &[i32], start: Option<(i32, i32)>) {
        if let Some((line, column)) = start {
            let end_line = line_of(out) - 1;
            let last = out
                .trim_end_matches('\n')
                .rsplit('\n')
                .next()
                .unwrap_or_default();
            let span = if end_line == line {
                vec![line, column, last.len() as i32]
            } else {
                vec![line, column, end_line, last.len() as i32]
            };
            self.spans.borrow_mut().insert(path.to_vec(), span);
        }
    }

    fn service(
        &self,
        out: &mut String,
        service: &ServiceDescriptorProto,
        package: &str,
        path: &[i32],
    ) {
        let scope = join(package, service.name());
        let start = self.comment(out, path, 0);
        let _ = writeln!(out, "service {} {{", service.name());
        for (index, method) in service.method.iter().enumerate() {
            let stream = |on: bool| if on { "stream " } else { "" };
            let method_path = child(path, [2, index as i32]);
            let method_start = self.comment(out, &method_path, 1);
            let _ = writeln!(
                out,
                "  rpc {}({}{}) returns ({}{}) {{{}}}",
                method.name(),
                stream(method.client_streaming()),
                self.symbols.name_in(method.input_type(), &scope),
                stream(method.server_streaming()),
                self.symbols.name_in(method.output_type(), &scope),
                idempotency_option(method),
            );
            self.span(out, &method_path, method_start);
        }
        out.push_str("}\n");
        self.span(out, path, start);
    }

    fn message(
        &self,
        out: &mut String,
        message: &DescriptorProto,
        scope: &str,
        depth: usize,
        path: &[i32],
    ) {
        let name = join(scope, message.name());
        let start = self.comment(out, path, depth);
        indent(out, depth);
        let _ = writeln!(out, "message {} {{", message.name());
        for (index, enumeration) in message.enum_type.iter().enumerate() {
            self.enumeration(out, enumeration, depth + 1, &child(path, [4, index as i32]));
        }
        for (index, nested) in message.nested_type.iter().enumerate() {
            if !is_map_entry(nested) {
                self.message(
                    out,
                    nested,
                    &name,
                    depth + 1,
                    &child(path, [3, index as i32]),
                );
            }
        }
        let mut oneofs_done = HashSet::new();
        for field in &message.field {
            match self.real_oneof(message, field) {
                Some(index) => {
                    // The whole oneof where its first field stands.
                    if oneofs_done.insert(index) {
                        let oneof_path = child(path, [8, index as i32]);
                        let oneof_start = self.comment(out, &oneof_path, depth + 1);
                        indent(out, depth + 1);
                        let _ = writeln!(out, "oneof {} {{", message.oneof_decl[index].name());
                        for member in message
                            .field
                            .iter()
                            .filter(|f| f.oneof_index == Some(index as i32))
                        {
                            self.field_at(out, member, message, &name, depth + 2, path);
                        }
                        indent(out, depth + 1);
                        out.push_str("}\n");
                        self.span(out, &oneof_path, oneof_start);
                    }
                }
                None => self.field_at(out, field, message, &name, depth + 1, path),
            }
        }
        self.reserved(out, message, depth + 1);
        indent(out, depth);
        out.push_str("}\n");
        self.span(out, path, start);
    }

    /// A field with its comment, at its index among the message's fields.
    fn field_at(
        &self,
        out: &mut String,
        field: &FieldDescriptorProto,
        message: &DescriptorProto,
        scope: &str,
        depth: usize,
        message_path: &[i32],
    ) {
        let index = message
            .field
            .iter()
            .position(|f| std::ptr::eq(f, field))
            .unwrap_or_default();
        let path = child(message_path, [2, index as i32]);
        let start = self.comment(out, &path, depth);
        indent(out, depth);
        let in_oneof = self.real_oneof(message, field).is_some();
        self.field(out, field, message, scope, in_oneof);
        self.span(out, &path, start);
    }

    /// The index of the oneof `field` belongs to, unless it is the synthetic oneof of a proto3 `optional`.
    fn real_oneof(&self, message: &DescriptorProto, field: &FieldDescriptorProto) -> Option<usize> {
        let index = usize::try_from(field.oneof_index?).ok()?;
        (!field.proto3_optional() && index < message.oneof_decl.len()).then_some(index)
    }

    fn field(
        &self,
        out: &mut String,
        field: &FieldDescriptorProto,
        message: &DescriptorProto,
        scope: &str,
        in_oneof: bool,
    ) {
        let label = field.label();
        let map_entry = (field.r#type() == Type::Message && label == Label::Repeated)
            .then(|| map_entry_of(message, scope, field.type_name()))
            .flatten();
        let ty = match map_entry {
            Some(entry) => {
                let key = entry.field.iter().find(|f| f.number() == 1);
                let value = entry.field.iter().find(|f| f.number() == 2);
                format!(
                    "map<{}, {}>",
                    key.map_or_else(String::new, |f| self.type_of(f, scope)),
                    value.map_or_else(String::new, |f| self.type_of(f, scope))
                )
            }
            None => {
                let label = match label {
                    _ if in_oneof => "",
                    Label::Repeated => "repeated ",
                    Label::Required => "required ",
                    Label::Optional if field.proto3_optional() || !self.proto3 => "optional ",
                    Label::Optional => "",
                };
                format!("{label}{}", self.type_of(field, scope))
            }
        };
        let _ = write!(out, "{ty} {} = {}", field.name(), field.number());
        let mut options = Vec::new();
        if !self.proto3
            && let Some(default) = &field.default_value
        {
            options.push(format!("default = {}", default_literal(field, default)));
        }
        if let Some(json) = &field.json_name
            && *json != crate::schema::builder::json_name(field.name())
        {
            options.push(format!("json_name = {}", quote(json)));
        }
        if let Some(field_options) = &field.options {
            if let Some(packed) = field_options.packed {
                options.push(format!("packed = {packed}"));
            }
            if field_options.deprecated() {
                options.push("deprecated = true".to_owned());
            }
        }
        if !options.is_empty() {
            let _ = write!(out, " [{}]", options.join(", "));
        }
        out.push_str(";\n");
    }

    fn type_of(&self, field: &FieldDescriptorProto, scope: &str) -> String {
        let scalar = match field.r#type() {
            Type::Double => "double",
            Type::Float => "float",
            Type::Int64 => "int64",
            Type::Uint64 => "uint64",
            Type::Int32 => "int32",
            Type::Fixed64 => "fixed64",
            Type::Fixed32 => "fixed32",
            Type::Bool => "bool",
            Type::String => "string",
            Type::Bytes => "bytes",
            Type::Uint32 => "uint32",
            Type::Sfixed32 => "sfixed32",
            Type::Sfixed64 => "sfixed64",
            Type::Sint32 => "sint32",
            Type::Sint64 => "sint64",
            Type::Group | Type::Message | Type::Enum => {
                return self.symbols.name_in(field.type_name(), scope);
            }
        };
        scalar.to_owned()
    }

    fn reserved(&self, out: &mut String, message: &DescriptorProto, depth: usize) {
        if !message.reserved_range.is_empty() {
            let ranges: Vec<String> = message
                .reserved_range
                .iter()
                .map(|r| {
                    // Descriptor ranges end exclusive; the text's `to` is inclusive.
                    let (start, end) = (r.start(), r.end() - 1);
                    if start == end {
                        start.to_string()
                    } else if end == 536_870_911 {
                        format!("{start} to max")
                    } else {
                        format!("{start} to {end}")
                    }
                })
                .collect();
            indent(out, depth);
            let _ = writeln!(out, "reserved {};", ranges.join(", "));
        }
        if !message.reserved_name.is_empty() {
            let names: Vec<String> = message.reserved_name.iter().map(|n| quote(n)).collect();
            indent(out, depth);
            let _ = writeln!(out, "reserved {};", names.join(", "));
        }
    }

    fn enumeration(
        &self,
        out: &mut String,
        enumeration: &EnumDescriptorProto,
        depth: usize,
        path: &[i32],
    ) {
        let start = self.comment(out, path, depth);
        indent(out, depth);
        let _ = writeln!(out, "enum {} {{", enumeration.name());
        if enumeration
            .options
            .as_ref()
            .is_some_and(|o| o.allow_alias())
        {
            indent(out, depth + 1);
            out.push_str("option allow_alias = true;\n");
        }
        for (index, value) in enumeration.value.iter().enumerate() {
            let value_path = child(path, [2, index as i32]);
            let value_start = self.comment(out, &value_path, depth + 1);
            indent(out, depth + 1);
            let _ = writeln!(out, "{} = {};", value.name(), value.number());
            self.span(out, &value_path, value_start);
        }
        self.enum_reserved(out, enumeration, depth + 1);
        indent(out, depth);
        out.push_str("}\n");
        self.span(out, path, start);
    }

    /// An enum's `reserved` numbers (ranges end inclusive here) and names.
    fn enum_reserved(&self, out: &mut String, enumeration: &EnumDescriptorProto, depth: usize) {
        if !enumeration.reserved_range.is_empty() {
            let ranges: Vec<String> = enumeration
                .reserved_range
                .iter()
                .map(|r| match (r.start(), r.end()) {
                    (start, end) if start == end => start.to_string(),
                    (start, i32::MAX) => format!("{start} to max"),
                    (start, end) => format!("{start} to {end}"),
                })
                .collect();
            indent(out, depth);
            let _ = writeln!(out, "reserved {};", ranges.join(", "));
        }
        if !enumeration.reserved_name.is_empty() {
            let names: Vec<String> = enumeration.reserved_name.iter().map(|n| quote(n)).collect();
            indent(out, depth);
            let _ = writeln!(out, "reserved {};", names.join(", "));
        }
    }
}

fn is_map_entry(message: &DescriptorProto) -> bool {
    message.options.as_ref().is_some_and(|o| o.map_entry())
}

/// The map entry a repeated message field of `message` points to, if it is one of its own.
fn map_entry_of<'a>(
    message: &'a DescriptorProto,
    scope: &str,
    type_name: &str,
) -> Option<&'a DescriptorProto> {
    let name = type_name
        .strip_prefix('.')?
        .strip_prefix(scope)?
        .strip_prefix('.')?;
    message
        .nested_type
        .iter()
        .find(|n| n.name() == name && is_map_entry(n))
}

/// A string literal of the `.proto` language.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A proto2 default as the text writes it: strings and bytes quoted, the rest as the descriptor has it.
fn default_literal(field: &FieldDescriptorProto, default: &str) -> String {
    match field.r#type() {
        Type::String => quote(default),
        // Bytes defaults are stored already escaped.
        Type::Bytes => format!("\"{default}\""),
        _ => default.to_owned(),
    }
}

/// ` option idempotency_level = NO_SIDE_EFFECTS; ` inside a method's braces, or nothing.
fn idempotency_option(method: &prost_types::MethodDescriptorProto) -> String {
    match method.options.as_ref().map(|o| o.idempotency_level()) {
        Some(level)
            if level != prost_types::method_options::IdempotencyLevel::IdempotencyUnknown =>
        {
            format!(" option idempotency_level = {}; ", level.as_str_name())
        }
        _ => String::new(),
    }
}
