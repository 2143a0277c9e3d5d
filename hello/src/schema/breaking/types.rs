//! The rules on files, messages, enums and services (fields are in `fields`).

use std::collections::{BTreeMap, BTreeSet};

use prost_types::field_descriptor_proto::Label;
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto, FileOptions};

use super::Finding;
use super::index::{Declared, Index, is_proto2, join};
use super::ranges::{self, Range};

fn finding(element: impl Into<String>, rule: &'static str, message: String) -> Finding {
    Finding {
        element: element.into(),
        rule,
        message,
    }
}

pub(super) fn check(previous: &Index, now: &Index, out: &mut Vec<Finding>) {
    files(previous, now, out);
    for (name, old) in &previous.messages {
        if let Some(new) = now.messages.get(name) {
            message(name, old, new, out);
        }
    }
    for (name, old) in &previous.enums {
        if let Some(new) = now.enums.get(name) {
            enumeration(name, old, new, out);
        }
    }
    for (name, old) in &previous.services {
        if let Some(new) = now.services.get(name) {
            service(name, old.item, new.item, out);
        }
    }
}

/// Files by path: deletion, package, syntax, options, and what each file lost (FILE's deletion rules).
fn files(previous: &Index, now: &Index, out: &mut Vec<Finding>) {
    for (path, old) in &previous.files {
        let Some(new) = now.files.get(path) else {
            out.push(finding(*path, "FILE_NO_DELETE", "file deleted".into()));
            continue;
        };
        if old.package() != new.package() {
            out.push(finding(
                *path,
                "FILE_SAME_PACKAGE",
                format!(
                    "package changed from {:?} to {:?}",
                    old.package(),
                    new.package()
                ),
            ));
        }
        let syntax = |f: &FileDescriptorProto| if is_proto2(f) { "proto2" } else { "proto3" };
        if syntax(old) != syntax(new) {
            out.push(finding(
                *path,
                "FILE_SAME_SYNTAX",
                format!("syntax changed from {} to {}", syntax(old), syntax(new)),
            ));
        }
        file_options(path, old, new, out);
        let package = old.package();
        let new_messages = now.messages_in(path);
        for nested in previous.messages_in(path).keys() {
            if !new_messages.contains_key(nested) {
                out.push(finding(
                    join(package, nested),
                    "MESSAGE_NO_DELETE",
                    "message deleted".into(),
                ));
            }
        }
        let new_enums = now.enums_in(path);
        for nested in previous.enums_in(path).keys() {
            if !new_enums.contains_key(nested) {
                out.push(finding(
                    join(package, nested),
                    "ENUM_NO_DELETE",
                    "enum deleted".into(),
                ));
            }
        }
        for service in &old.service {
            if !new.service.iter().any(|s| s.name() == service.name()) {
                out.push(finding(
                    join(package, service.name()),
                    "SERVICE_NO_DELETE",
                    "service deleted".into(),
                ));
            }
        }
        let new_extensions = extensions(new);
        for extension in extensions(old) {
            if !new_extensions.contains(&extension) {
                out.push(finding(
                    join(package, &extension),
                    "EXTENSION_NO_DELETE",
                    "extension deleted".into(),
                ));
            }
        }
    }
}

/// The nested names of a file's extensions.
fn extensions(file: &FileDescriptorProto) -> BTreeSet<String> {
    fn walk(scope: &str, message: &DescriptorProto, out: &mut BTreeSet<String>) {
        let name = join(scope, message.name());
        out.extend(message.extension.iter().map(|e| join(&name, e.name())));
        for nested in &message.nested_type {
            walk(&name, nested, out);
        }
    }
    let mut out: BTreeSet<String> = file.extension.iter().map(|e| e.name().to_owned()).collect();
    for message in &file.message_type {
        walk("", message, &mut out);
    }
    out
}

fn file_options(
    path: &str,
    old: &FileDescriptorProto,
    new: &FileDescriptorProto,
    out: &mut Vec<Finding>,
) {
    let default = FileOptions::default();
    let (o, n) = (
        old.options.as_ref().unwrap_or(&default),
        new.options.as_ref().unwrap_or(&default),
    );
    let options: [(&'static str, &str, String, String); 16] = [
        (
            "FILE_SAME_GO_PACKAGE",
            "go_package",
            o.go_package().into(),
            n.go_package().into(),
        ),
        (
            "FILE_SAME_JAVA_PACKAGE",
            "java_package",
            o.java_package().into(),
            n.java_package().into(),
        ),
        (
            "FILE_SAME_JAVA_OUTER_CLASSNAME",
            "java_outer_classname",
            o.java_outer_classname().into(),
            n.java_outer_classname().into(),
        ),
        (
            "FILE_SAME_JAVA_MULTIPLE_FILES",
            "java_multiple_files",
            o.java_multiple_files().to_string(),
            n.java_multiple_files().to_string(),
        ),
        (
            "FILE_SAME_CSHARP_NAMESPACE",
            "csharp_namespace",
            o.csharp_namespace().into(),
            n.csharp_namespace().into(),
        ),
        (
            "FILE_SAME_OBJC_CLASS_PREFIX",
            "objc_class_prefix",
            o.objc_class_prefix().into(),
            n.objc_class_prefix().into(),
        ),
        (
            "FILE_SAME_PHP_NAMESPACE",
            "php_namespace",
            o.php_namespace().into(),
            n.php_namespace().into(),
        ),
        (
            "FILE_SAME_PHP_CLASS_PREFIX",
            "php_class_prefix",
            o.php_class_prefix().into(),
            n.php_class_prefix().into(),
        ),
        (
            "FILE_SAME_PHP_METADATA_NAMESPACE",
            "php_metadata_namespace",
            o.php_metadata_namespace().into(),
            n.php_metadata_namespace().into(),
        ),
        (
            "FILE_SAME_RUBY_PACKAGE",
            "ruby_package",
            o.ruby_package().into(),
            n.ruby_package().into(),
        ),
        (
            "FILE_SAME_SWIFT_PREFIX",
            "swift_prefix",
            o.swift_prefix().into(),
            n.swift_prefix().into(),
        ),
        (
            "FILE_SAME_OPTIMIZE_FOR",
            "optimize_for",
            o.optimize_for().as_str_name().into(),
            n.optimize_for().as_str_name().into(),
        ),
        (
            "FILE_SAME_CC_ENABLE_ARENAS",
            "cc_enable_arenas",
            o.cc_enable_arenas().to_string(),
            n.cc_enable_arenas().to_string(),
        ),
        (
            "FILE_SAME_CC_GENERIC_SERVICES",
            "cc_generic_services",
            o.cc_generic_services().to_string(),
            n.cc_generic_services().to_string(),
        ),
        (
            "FILE_SAME_JAVA_GENERIC_SERVICES",
            "java_generic_services",
            o.java_generic_services().to_string(),
            n.java_generic_services().to_string(),
        ),
        (
            "FILE_SAME_PY_GENERIC_SERVICES",
            "py_generic_services",
            o.py_generic_services().to_string(),
            n.py_generic_services().to_string(),
        ),
    ];
    for (rule, option, before, after) in options {
        if before != after {
            out.push(finding(
                path,
                rule,
                format!("option {option} changed from {before:?} to {after:?}"),
            ));
        }
    }
}

fn message(
    name: &str,
    old: &Declared<DescriptorProto>,
    new: &Declared<DescriptorProto>,
    out: &mut Vec<Finding>,
) {
    let (o, n) = (old.item, new.item);
    // Oneofs by name; the synthetic oneof of a proto3 `optional` is not one the user wrote.
    let real_oneofs = |m: &DescriptorProto| -> BTreeSet<String> {
        m.oneof_decl
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                !m.field
                    .iter()
                    .any(|f| f.oneof_index == Some(*i as i32) && f.proto3_optional())
            })
            .map(|(_, d)| d.name().to_owned())
            .collect()
    };
    let kept: BTreeSet<String> = n.oneof_decl.iter().map(|d| d.name().to_owned()).collect();
    for oneof in real_oneofs(o) {
        if !kept.contains(&oneof) {
            out.push(finding(
                join(name, &oneof),
                "ONEOF_NO_DELETE",
                "oneof deleted".into(),
            ));
        }
    }
    let required = |m: &DescriptorProto| -> BTreeSet<i32> {
        m.field
            .iter()
            .filter(|f| f.label() == Label::Required)
            .map(|f| f.number())
            .collect()
    };
    let (was, is) = (required(o), required(n));
    for number in was.difference(&is) {
        out.push(finding(
            name,
            "MESSAGE_SAME_REQUIRED_FIELDS",
            format!("required field {number} deleted"),
        ));
    }
    for number in is.difference(&was) {
        out.push(finding(
            name,
            "MESSAGE_SAME_REQUIRED_FIELDS",
            format!("required field {number} added"),
        ));
    }
    let accessor = |m: &DescriptorProto| {
        m.options
            .as_ref()
            .is_some_and(|o| o.no_standard_descriptor_accessor())
    };
    if !accessor(o) && accessor(n) {
        out.push(finding(
            name,
            "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
            "option no_standard_descriptor_accessor changed from false to true".into(),
        ));
    }
    // JSON support: proto3 allows it, proto2 is best effort.
    if !old.proto2() && new.proto2() {
        out.push(finding(
            name,
            "MESSAGE_SAME_JSON_FORMAT",
            "JSON format support changed from ALLOW to LEGACY_BEST_EFFORT".into(),
        ));
    }
    // Message ranges end exclusive in descriptors.
    let reserved = |m: &DescriptorProto| -> Vec<Range> {
        m.reserved_range
            .iter()
            .map(|r| Range::new(r.start(), r.end() - 1))
            .collect()
    };
    ranges::check_kept(
        name,
        "RESERVED_MESSAGE_NO_DELETE",
        "reserved",
        &reserved(o),
        &reserved(n),
        out,
    );
    names_kept(
        name,
        "RESERVED_MESSAGE_NO_DELETE",
        &o.reserved_name,
        &n.reserved_name,
        out,
    );
    let extension_ranges = |m: &DescriptorProto| -> Vec<Range> {
        m.extension_range
            .iter()
            .map(|r| Range::new(r.start(), r.end() - 1))
            .collect()
    };
    ranges::check_kept(
        name,
        "EXTENSION_MESSAGE_NO_DELETE",
        "extension",
        &extension_ranges(o),
        &extension_ranges(n),
        out,
    );
}

fn names_kept(
    element: &str,
    rule: &'static str,
    old: &[String],
    new: &[String],
    out: &mut Vec<Finding>,
) {
    for name in old {
        if !new.contains(name) {
            out.push(finding(
                element,
                rule,
                format!("reserved name {name:?} deleted"),
            ));
        }
    }
}

fn enumeration(
    name: &str,
    old: &Declared<EnumDescriptorProto>,
    new: &Declared<EnumDescriptorProto>,
    out: &mut Vec<Finding>,
) {
    let (o, n) = (old.item, new.item);
    let state = |proto2: bool| if proto2 { "closed" } else { "open" };
    if old.proto2() != new.proto2() {
        out.push(finding(
            name,
            "ENUM_SAME_TYPE",
            format!(
                "changed from {} to {}",
                state(old.proto2()),
                state(new.proto2())
            ),
        ));
    }
    if !old.proto2() && new.proto2() {
        out.push(finding(
            name,
            "ENUM_SAME_JSON_FORMAT",
            "JSON format support changed from ALLOW to LEGACY_BEST_EFFORT".into(),
        ));
    }
    let by_number = |e: &EnumDescriptorProto| -> BTreeMap<i32, Vec<String>> {
        let mut map: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for value in &e.value {
            map.entry(value.number())
                .or_default()
                .push(value.name().to_owned());
        }
        map
    };
    let (was, is) = (by_number(o), by_number(n));
    // Enum ranges end inclusive in descriptors.
    let reserved = |e: &EnumDescriptorProto| -> Vec<Range> {
        e.reserved_range
            .iter()
            .map(|r| Range::new(r.start(), r.end()))
            .collect()
    };
    let new_reserved = reserved(n);
    for (number, names) in &was {
        let element = join(name, &names[0]);
        match is.get(number) {
            None => {
                out.push(finding(
                    &element,
                    "ENUM_VALUE_NO_DELETE",
                    format!("value {number} deleted"),
                ));
                if !ranges::contains(&new_reserved, *number) {
                    out.push(finding(
                        &element,
                        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
                        format!("value {number} deleted without reserving the number"),
                    ));
                }
                if !names.iter().all(|v| n.reserved_name.contains(v)) {
                    out.push(finding(
                        &element,
                        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
                        format!(
                            "value {number} deleted without reserving the name {}",
                            names.join(", ")
                        ),
                    ));
                }
            }
            // Every old name must still name the number; one finding per value that now has it.
            Some(now) if !names.iter().all(|v| now.contains(v)) => {
                for _ in now {
                    out.push(finding(
                        &element,
                        "ENUM_VALUE_SAME_NAME",
                        format!(
                            "value {number} renamed from {} to {}",
                            names.join(", "),
                            now.join(", ")
                        ),
                    ));
                }
            }
            Some(_) => {}
        }
    }
    ranges::check_kept(
        name,
        "RESERVED_ENUM_NO_DELETE",
        "reserved",
        &reserved(o),
        &new_reserved,
        out,
    );
    names_kept(
        name,
        "RESERVED_ENUM_NO_DELETE",
        &o.reserved_name,
        &n.reserved_name,
        out,
    );
}

fn service(
    name: &str,
    old: &prost_types::ServiceDescriptorProto,
    new: &prost_types::ServiceDescriptorProto,
    out: &mut Vec<Finding>,
) {
    for method in &old.method {
        let element = join(name, method.name());
        let Some(now) = new.method.iter().find(|m| m.name() == method.name()) else {
            out.push(finding(element, "RPC_NO_DELETE", "method deleted".into()));
            continue;
        };
        let streaming = |on: bool| if on { "streaming" } else { "unary" };
        if method.client_streaming() != now.client_streaming() {
            out.push(finding(
                &element,
                "RPC_SAME_CLIENT_STREAMING",
                format!(
                    "changed from client {} to client {}",
                    streaming(method.client_streaming()),
                    streaming(now.client_streaming())
                ),
            ));
        }
        if method.server_streaming() != now.server_streaming() {
            out.push(finding(
                &element,
                "RPC_SAME_SERVER_STREAMING",
                format!(
                    "changed from server {} to server {}",
                    streaming(method.server_streaming()),
                    streaming(now.server_streaming())
                ),
            ));
        }
        if method.input_type() != now.input_type() {
            out.push(finding(
                &element,
                "RPC_SAME_REQUEST_TYPE",
                format!(
                    "request type changed from {} to {}",
                    method.input_type().trim_start_matches('.'),
                    now.input_type().trim_start_matches('.')
                ),
            ));
        }
        if method.output_type() != now.output_type() {
            out.push(finding(
                &element,
                "RPC_SAME_RESPONSE_TYPE",
                format!(
                    "response type changed from {} to {}",
                    method.output_type().trim_start_matches('.'),
                    now.output_type().trim_start_matches('.')
                ),
            ));
        }
        let level = |m: &prost_types::MethodDescriptorProto| {
            m.options.as_ref().map_or("IDEMPOTENCY_UNKNOWN", |o| {
                o.idempotency_level().as_str_name()
            })
        };
        if level(method) != level(now) {
            out.push(finding(
                &element,
                "RPC_SAME_IDEMPOTENCY_LEVEL",
                format!(
                    "option idempotency_level changed from {} to {}",
                    level(method),
                    level(now)
                ),
            ));
        }
    }
}
