//! Compares two schemas, the one a `.proto` states and the one the Rust code declares, and says every
//! difference in a line that names the service, method, message or field, e.g.
//! `Point.latitude: proto says float = 1, Rust says double = 1`.

use std::collections::HashMap;
use std::fmt;

use prost_types::field_descriptor_proto::{Label, Type};

use crate::schema::wkt::is_well_known_file;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet,
    MethodDescriptorProto, ServiceDescriptorProto,
};

/// The differences between two schemas, one readable line each; empty when they agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    lines: Vec<String>,
}

impl SchemaDiff {
    /// Whether the schemas agree.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Each difference.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Each difference, owned.
    pub fn into_lines(self) -> Vec<String> {
        self.lines
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// Every difference between the schema a `.proto` gives (`expected_from_proto`, e.g. compiled with
/// protox) and the one built from the Rust definitions (`from_rust`): services, methods (streaming,
/// input and output), messages, fields (name, number, type, label, oneof) and enums.
///
/// Order and file layout do not count; names do. Lines follow the proto's order, then what only Rust has.
pub fn diff(expected_from_proto: &FileDescriptorSet, from_rust: &FileDescriptorSet) -> SchemaDiff {
    let proto = Index::of(expected_from_proto);
    let rust = Index::of(from_rust);
    let mut packages: Vec<&str> = expected_from_proto
        .file
        .iter()
        .chain(&from_rust.file)
        .filter(|f| !is_well_known_file(f.name()))
        .map(|f| f.package())
        .collect();
    packages.sort_unstable();
    packages.dedup();
    let names = Names {
        // With one package everywhere, `Point` reads better than `hello.Point`.
        strip: (packages.len() == 1).then(|| packages[0].to_owned()),
    };
    let mut lines = Vec::new();
    compare_services(&proto, &rust, &names, &mut lines);
    compare_types(&proto, &rust, &names, &mut lines);
    SchemaDiff { lines }
}

#[derive(Clone, Copy)]
enum Decl<'a> {
    Message(&'a DescriptorProto),
    Enum(&'a EnumDescriptorProto),
}

/// The declarations of a set by full name (without the leading dot), in declaration order.
#[derive(Default)]
struct Index<'a> {
    services: Vec<(String, &'a ServiceDescriptorProto)>,
    types: Vec<(String, Decl<'a>)>,
    by_name: HashMap<String, Decl<'a>>,
    map_entries: HashMap<String, &'a DescriptorProto>,
}

impl<'a> Index<'a> {
    fn of(set: &'a FileDescriptorSet) -> Self {
        let mut index = Self::default();
        // protobuf's own files are the same everywhere; a `.proto` compiled without its imports lacks them.
        for file in set.file.iter().filter(|f| !is_well_known_file(f.name())) {
            let package = file.package();
            for service in &file.service {
                index
                    .services
                    .push((join(package, service.name()), service));
            }
            for message in &file.message_type {
                index.add_message(package, message);
            }
            for enumeration in &file.enum_type {
                index.add(join(package, enumeration.name()), Decl::Enum(enumeration));
            }
        }
        index
    }

    fn add(&mut self, name: String, decl: Decl<'a>) {
        self.by_name.insert(name.clone(), decl);
        self.types.push((name, decl));
    }

    fn add_message(&mut self, scope: &str, message: &'a DescriptorProto) {
        let name = join(scope, message.name());
        if message.options.as_ref().is_some_and(|o| o.map_entry()) {
            self.map_entries.insert(name, message);
            return;
        }
        self.add(name.clone(), Decl::Message(message));
        for nested in &message.nested_type {
            self.add_message(&name, nested);
        }
        for enumeration in &message.enum_type {
            self.add(join(&name, enumeration.name()), Decl::Enum(enumeration));
        }
    }

    fn service(&self, name: &str) -> Option<&'a ServiceDescriptorProto> {
        self.services
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| *s)
    }
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

/// How names are shown in the lines.
struct Names {
    strip: Option<String>,
}

impl Names {
    /// `hello.Point` or `.hello.Point` -> `Point` when every file is in `hello`.
    fn show(&self, full: &str) -> String {
        let full = full.strip_prefix('.').unwrap_or(full);
        if let Some(package) = &self.strip
            && !package.is_empty()
            && let Some(rest) = full.strip_prefix(package.as_str())
            && let Some(rest) = rest.strip_prefix('.')
        {
            return rest.to_owned();
        }
        full.to_owned()
    }
}

fn compare_services(proto: &Index, rust: &Index, names: &Names, lines: &mut Vec<String>) {
    for (name, expected) in &proto.services {
        let shown = names.show(name);
        let Some(actual) = rust.service(name) else {
            lines.push(format!("service {shown}: proto has it, Rust does not"));
            continue;
        };
        for method in &expected.method {
            let at = format!("{shown}.{}", method.name());
            match actual.method.iter().find(|m| m.name() == method.name()) {
                None => lines.push(format!("{at}: proto has it, Rust does not")),
                Some(other) => compare_method(&at, method, other, names, lines),
            }
        }
        for method in &actual.method {
            if !expected.method.iter().any(|m| m.name() == method.name()) {
                lines.push(format!(
                    "{shown}.{}: Rust has it, proto does not",
                    method.name()
                ));
            }
        }
    }
    for (name, _) in &rust.services {
        if proto.service(name).is_none() {
            lines.push(format!(
                "service {}: Rust has it, proto does not",
                names.show(name)
            ));
        }
    }
}

fn compare_method(
    at: &str,
    proto: &MethodDescriptorProto,
    rust: &MethodDescriptorProto,
    names: &Names,
    lines: &mut Vec<String>,
) {
    let (p, r) = (kind(proto), kind(rust));
    if p != r {
        lines.push(format!("{at}: proto says {p}, Rust says {r}"));
    }
    for (side, p, r) in [
        ("input", proto.input_type(), rust.input_type()),
        ("output", proto.output_type(), rust.output_type()),
    ] {
        if p.trim_start_matches('.') != r.trim_start_matches('.') {
            lines.push(format!(
                "{at}: proto says {side} {}, Rust says {side} {}",
                names.show(p),
                names.show(r)
            ));
        }
    }
}

fn kind(method: &MethodDescriptorProto) -> &'static str {
    match (method.client_streaming(), method.server_streaming()) {
        (false, false) => "unary",
        (false, true) => "server streaming",
        (true, false) => "client streaming",
        (true, true) => "bidirectional streaming",
    }
}

fn compare_types(proto: &Index, rust: &Index, names: &Names, lines: &mut Vec<String>) {
    for (name, expected) in &proto.types {
        let shown = names.show(name);
        match (expected, rust.by_name.get(name)) {
            (Decl::Message(_), None) => {
                lines.push(format!("message {shown}: proto has it, Rust does not"))
            }
            (Decl::Enum(_), None) => {
                lines.push(format!("enum {shown}: proto has it, Rust does not"))
            }
            (Decl::Message(p), Some(Decl::Message(r))) => {
                compare_fields(&shown, (p, proto), (r, rust), names, lines)
            }
            (Decl::Enum(p), Some(Decl::Enum(r))) => compare_values(&shown, p, r, lines),
            (Decl::Message(_), Some(Decl::Enum(_))) => {
                lines.push(format!("{shown}: proto says message, Rust says enum"))
            }
            (Decl::Enum(_), Some(Decl::Message(_))) => {
                lines.push(format!("{shown}: proto says enum, Rust says message"))
            }
        }
    }
    for (name, decl) in &rust.types {
        if !proto.by_name.contains_key(name) {
            let what = match decl {
                Decl::Message(_) => "message",
                Decl::Enum(_) => "enum",
            };
            lines.push(format!(
                "{what} {}: Rust has it, proto does not",
                names.show(name)
            ));
        }
    }
}

fn compare_fields(
    at: &str,
    (proto, proto_index): (&DescriptorProto, &Index),
    (rust, rust_index): (&DescriptorProto, &Index),
    names: &Names,
    lines: &mut Vec<String>,
) {
    for field in &proto.field {
        let p = describe_field(proto, field, proto_index, names);
        match rust.field.iter().find(|f| f.name() == field.name()) {
            None => lines.push(format!(
                "{at}.{}: proto has {p}, Rust does not",
                field.name()
            )),
            Some(other) => {
                let r = describe_field(rust, other, rust_index, names);
                if p != r {
                    lines.push(format!(
                        "{at}.{}: proto says {p}, Rust says {r}",
                        field.name()
                    ));
                }
            }
        }
    }
    for field in &rust.field {
        if !proto.field.iter().any(|f| f.name() == field.name()) {
            let r = describe_field(rust, field, rust_index, names);
            // A number taken over from a field that is gone breaks old data: say whose it was.
            let reused = proto
                .field
                .iter()
                .find(|f| {
                    f.number() == field.number() && !rust.field.iter().any(|r| r.name() == f.name())
                })
                .map(|f| format!(" (number {} was {}'s)", f.number(), f.name()))
                .unwrap_or_default();
            lines.push(format!(
                "{at}.{}: Rust has {r}, proto does not{reused}",
                field.name()
            ));
        }
    }
}

/// A field as the lines show it: `repeated float = 1`, `map<string, Point> = 3`, `string = 2 in oneof kind`.
fn describe_field(
    message: &DescriptorProto,
    field: &FieldDescriptorProto,
    index: &Index,
    names: &Names,
) -> String {
    let entry = (field.r#type() == Type::Message && field.label() == Label::Repeated)
        .then(|| {
            index
                .map_entries
                .get(field.type_name().trim_start_matches('.'))
        })
        .flatten();
    let mut text = match entry {
        Some(entry) => {
            let part = |number| {
                entry
                    .field
                    .iter()
                    .find(|f| f.number() == number)
                    .map_or_else(String::new, |f| type_name(f, names))
            };
            format!("map<{}, {}>", part(1), part(2))
        }
        None => {
            let label = match field.label() {
                Label::Repeated => "repeated ",
                Label::Required => "required ",
                Label::Optional if field.proto3_optional() => "optional ",
                Label::Optional => "",
            };
            format!("{label}{}", type_name(field, names))
        }
    };
    text.push_str(&format!(" = {}", field.number()));
    if let Some(packed) = field.options.as_ref().and_then(|o| o.packed) {
        text.push_str(&format!(" [packed = {packed}]"));
    }
    if !field.proto3_optional()
        && let Some(oneof) = field
            .oneof_index
            .and_then(|i| message.oneof_decl.get(usize::try_from(i).ok()?))
    {
        text.push_str(&format!(" in oneof {}", oneof.name()));
    }
    text
}

fn type_name(field: &FieldDescriptorProto, names: &Names) -> String {
    match field.r#type() {
        Type::Message | Type::Enum | Type::Group => names.show(field.type_name()),
        scalar => scalar
            .as_str_name()
            .trim_start_matches("TYPE_")
            .to_lowercase(),
    }
}

fn compare_values(
    at: &str,
    proto: &EnumDescriptorProto,
    rust: &EnumDescriptorProto,
    lines: &mut Vec<String>,
) {
    for value in &proto.value {
        match rust.value.iter().find(|v| v.name() == value.name()) {
            None => lines.push(format!(
                "{at}.{}: proto has = {}, Rust does not",
                value.name(),
                value.number()
            )),
            Some(other) if other.number() != value.number() => lines.push(format!(
                "{at}.{}: proto says = {}, Rust says = {}",
                value.name(),
                value.number(),
                other.number()
            )),
            Some(_) => {}
        }
    }
    for value in &rust.value {
        if !proto.value.iter().any(|v| v.name() == value.name()) {
            lines.push(format!(
                "{at}.{}: Rust has = {}, proto does not",
                value.name(),
                value.number()
            ));
        }
    }
}
