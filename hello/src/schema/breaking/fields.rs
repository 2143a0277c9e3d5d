//! The rules on fields: each field of the old message against the new message's field with the same number.

use prost_types::field_descriptor_proto::Type;
use prost_types::field_options::{CType, JsType};
use prost_types::{DescriptorProto, FieldDescriptorProto};

use super::Finding;
use super::index::{Declared, Index, is_map_entry, join};

pub(super) fn check(previous: &Index, now: &Index, out: &mut Vec<Finding>) {
    for (name, old) in &previous.messages {
        let Some(new) = now.messages.get(name) else {
            continue;
        };
        for field in &old.item.field {
            let element = join(name, field.name());
            match new.item.field.iter().find(|f| f.number() == field.number()) {
                None => deleted(&element, field, new.item, out),
                Some(current) => {
                    let pair = Pair {
                        element: &element,
                        previous: (previous, old, field),
                        now: (now, new, current),
                    };
                    pair.check(out);
                }
            }
        }
    }
}

fn finding(element: &str, rule: &'static str, message: String) -> Finding {
    Finding {
        element: element.to_owned(),
        rule,
        message,
    }
}

fn deleted(
    element: &str,
    field: &FieldDescriptorProto,
    message: &DescriptorProto,
    out: &mut Vec<Finding>,
) {
    let number = field.number();
    out.push(finding(
        element,
        "FIELD_NO_DELETE",
        format!("field {number} deleted"),
    ));
    // Message ranges end exclusive.
    let reserved = message
        .reserved_range
        .iter()
        .any(|r| r.start() <= number && number < r.end());
    if !reserved {
        out.push(finding(
            element,
            "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
            format!("field {number} deleted without reserving the number"),
        ));
    }
    if !message.reserved_name.iter().any(|n| n == field.name()) {
        out.push(finding(
            element,
            "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
            format!(
                "field {number} deleted without reserving the name {:?}",
                field.name()
            ),
        ));
    }
}

type Side<'s, 'a> = (
    &'s Index<'a>,
    &'s Declared<'a, DescriptorProto>,
    &'s FieldDescriptorProto,
);

/// A field in the old and the new schema.
struct Pair<'s, 'a> {
    element: &'s str,
    previous: Side<'s, 'a>,
    now: Side<'s, 'a>,
}

impl Pair<'_, '_> {
    fn check(&self, out: &mut Vec<Finding>) {
        let (_, old_message, old) = self.previous;
        let (_, new_message, new) = self.now;
        let in_map_entry = is_map_entry(old_message.item) && is_map_entry(new_message.item);
        if !in_map_entry {
            self.cardinality(out);
        }
        self.types(out);
        if old.name() != new.name() {
            self.push(
                out,
                "FIELD_SAME_NAME",
                format!("name changed from {:?} to {:?}", old.name(), new.name()),
            );
        }
        let (old_json, new_json) = (json_name(old), json_name(new));
        if old_json != new_json {
            self.push(
                out,
                "FIELD_SAME_JSON_NAME",
                format!("json_name changed from {old_json:?} to {new_json:?}"),
            );
        }
        self.oneof(out);
        self.defaults(out);
        self.options(in_map_entry, out);
    }

    fn push(&self, out: &mut Vec<Finding>, rule: &'static str, message: String) {
        out.push(finding(self.element, rule, message));
    }

    fn cardinality(&self, out: &mut Vec<Finding>) {
        let (old_index, old_message, old) = self.previous;
        let (new_index, new_message, new) = self.now;
        let before = old_index.cardinality(old, old_message.proto2());
        let after = new_index.cardinality(new, new_message.proto2());
        let message = || {
            format!(
                "cardinality changed from {} to {}",
                before.as_str(),
                after.as_str()
            )
        };
        if before != after {
            self.push(out, "FIELD_SAME_CARDINALITY", message());
        }
        if before.wire_group() != after.wire_group() {
            self.push(out, "FIELD_WIRE_COMPATIBLE_CARDINALITY", message());
        }
        if before.wire_json_group() != after.wire_json_group() {
            self.push(out, "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", message());
        }
    }

    fn types(&self, out: &mut Vec<Finding>) {
        let (old_index, _, old) = self.previous;
        let (new_index, _, new) = self.now;
        let (before, after) = (old.r#type(), new.r#type());
        let named = |t: Type| matches!(t, Type::Message | Type::Enum | Type::Group);
        let type_name_changed = named(after) && old.type_name() != new.type_name();
        let kinds = || format!("type changed from {} to {}", kind(old), kind(new));
        let names = || {
            format!(
                "type changed from {} to {}",
                old.type_name().trim_start_matches('.'),
                new.type_name().trim_start_matches('.')
            )
        };
        if before != after {
            self.push(out, "FIELD_SAME_TYPE", kinds());
        } else if type_name_changed {
            self.push(out, "FIELD_SAME_TYPE", names());
        }
        // An enum may change its full name if its name stays and it keeps every old value.
        let enum_compatible = || {
            let (Some(was), Some(is)) = (old_index.enum_of(old), new_index.enum_of(new)) else {
                return false;
            };
            was.item.name() == is.item.name()
                && was.item.value.iter().all(|v| {
                    is.item
                        .value
                        .iter()
                        .any(|w| w.name() == v.name() && w.number() == v.number())
                })
        };
        let same_group_but = |rule: &'static str, out: &mut Vec<Finding>| match after {
            Type::Enum if type_name_changed && !enum_compatible() => self.push(out, rule, names()),
            Type::Message | Type::Group if type_name_changed => self.push(out, rule, names()),
            _ => {}
        };
        if wire_group(before) != wire_group(after) {
            // string to bytes reads the same bytes; bytes to string may not be UTF-8.
            if !(before == Type::String && after == Type::Bytes) {
                self.push(out, "FIELD_WIRE_COMPATIBLE_TYPE", kinds());
            }
        } else {
            same_group_but("FIELD_WIRE_COMPATIBLE_TYPE", out);
        }
        if wire_json_group(before) != wire_json_group(after) {
            self.push(out, "FIELD_WIRE_JSON_COMPATIBLE_TYPE", kinds());
        } else {
            same_group_but("FIELD_WIRE_JSON_COMPATIBLE_TYPE", out);
        }
    }

    fn oneof(&self, out: &mut Vec<Finding>) {
        let (_, old_message, old) = self.previous;
        let (_, new_message, new) = self.now;
        match (
            oneof_of(old_message.item, old),
            oneof_of(new_message.item, new),
        ) {
            (None, None) => {}
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => self.push(
                out,
                "FIELD_SAME_ONEOF",
                format!("moved from oneof {a} to oneof {b}"),
            ),
            (Some(_), None) => self.push(out, "FIELD_SAME_ONEOF", "moved out of a oneof".into()),
            (None, Some(_)) => self.push(out, "FIELD_SAME_ONEOF", "moved into a oneof".into()),
        }
    }

    fn defaults(&self, out: &mut Vec<Finding>) {
        let (old_index, old_message, old) = self.previous;
        let (new_index, new_message, new) = self.now;
        let can_have = |index: &Index, f: &FieldDescriptorProto| {
            !matches!(f.r#type(), Type::Message | Type::Group)
                && index.cardinality(f, false) != super::index::Cardinality::Repeated
                && index.cardinality(f, false) != super::index::Cardinality::Map
        };
        if !can_have(old_index, old) || !can_have(new_index, new) {
            return;
        }
        let (before, after) = (default_of(old_index, old), default_of(new_index, new));
        let _ = (old_message, new_message);
        if before.is_zero() && after.is_zero() {
            return;
        }
        if !before.same_as(&after) {
            self.push(
                out,
                "FIELD_SAME_DEFAULT",
                format!("default changed from {} to {}", before.shown, after.shown),
            );
        }
    }

    fn options(&self, in_map_entry: bool, out: &mut Vec<Finding>) {
        let (_, old_message, old) = self.previous;
        let (_, new_message, new) = self.now;
        let is_64_bit = |t: Type| {
            matches!(
                t,
                Type::Int64 | Type::Sint64 | Type::Uint64 | Type::Fixed64 | Type::Sfixed64
            )
        };
        if is_64_bit(old.r#type()) && is_64_bit(new.r#type()) {
            let js = |f: &FieldDescriptorProto| {
                f.options.as_ref().map_or(JsType::JsNormal, |o| o.jstype())
            };
            if js(old) != js(new) {
                self.push(
                    out,
                    "FIELD_SAME_JSTYPE",
                    format!(
                        "option jstype changed from {} to {}",
                        js(old).as_str_name(),
                        js(new).as_str_name()
                    ),
                );
            }
        }
        let stringy = |t: Type| matches!(t, Type::String | Type::Bytes);
        if !in_map_entry && stringy(old.r#type()) && stringy(new.r#type()) {
            // (string type, is STRING_PIECE); STRING_PIECE to STRING is allowed.
            let cpp = |f: &FieldDescriptorProto| match f.options.as_ref().and_then(|o| o.ctype) {
                Some(c) if c == CType::Cord as i32 => ("CORD", false),
                Some(c) if c == CType::StringPiece as i32 => ("STRING", true),
                _ => ("STRING", false),
            };
            let (before, after) = (cpp(old), cpp(new));
            if before != after && !(before.1 && after == ("STRING", false)) {
                let shown =
                    |(t, piece): (&str, bool)| if piece { "STRING_PIECE" } else { t }.to_owned();
                self.push(
                    out,
                    "FIELD_SAME_CPP_STRING_TYPE",
                    format!(
                        "C++ string type changed from {} to {}",
                        shown(before),
                        shown(after)
                    ),
                );
            }
        }
        if old.r#type() == Type::String && new.r#type() == Type::String {
            let utf8 = |proto2: bool| if proto2 { "NONE" } else { "VERIFY" };
            let (before, after) = (utf8(old_message.proto2()), utf8(new_message.proto2()));
            if before != after {
                self.push(
                    out,
                    "FIELD_SAME_UTF8_VALIDATION",
                    format!("UTF8 validation changed from {before} to {after}"),
                );
            }
            let java = |m: &Declared<DescriptorProto>| {
                let check = m
                    .file
                    .options
                    .as_ref()
                    .is_some_and(|o| o.java_string_check_utf8());
                if check { "VERIFY" } else { utf8(m.proto2()) }
            };
            let (before, after) = (java(old_message), java(new_message));
            if before != after {
                self.push(
                    out,
                    "FIELD_SAME_JAVA_UTF8_VALIDATION",
                    format!("Java string UTF8 validation changed from {before} to {after}"),
                );
            }
        }
    }
}

/// The name of the oneof holding `field`, unless it is the synthetic oneof of a proto3 `optional`.
fn oneof_of<'m>(message: &'m DescriptorProto, field: &FieldDescriptorProto) -> Option<&'m str> {
    if field.proto3_optional() {
        return None;
    }
    let index = usize::try_from(field.oneof_index?).ok()?;
    message.oneof_decl.get(index).map(|o| o.name())
}

/// The JSON name as the descriptor has it, or as protoc would compute it.
fn json_name(field: &FieldDescriptorProto) -> String {
    field
        .json_name
        .clone()
        .unwrap_or_else(|| crate::schema::builder::json_name(field.name()))
}

/// The type as buf prints it: `float`, `message`, `enum`.
fn kind(field: &FieldDescriptorProto) -> String {
    field
        .r#type()
        .as_str_name()
        .trim_start_matches("TYPE_")
        .to_lowercase()
}

/// Types the wire reads as one another: varints, zigzag varints, fixed widths... (buf's groups).
fn wire_group(t: Type) -> u8 {
    match t {
        Type::Int32 | Type::Int64 | Type::Uint32 | Type::Uint64 | Type::Bool => 1,
        Type::Sint32 | Type::Sint64 => 2,
        Type::String => 3,
        Type::Bytes => 4,
        Type::Fixed32 | Type::Sfixed32 => 5,
        Type::Fixed64 | Type::Sfixed64 => 6,
        Type::Double => 7,
        Type::Float => 8,
        Type::Group => 9,
        Type::Message => 10,
        Type::Enum => 11,
    }
}

/// As [`wire_group`], narrowed to types that JSON also writes alike.
fn wire_json_group(t: Type) -> u8 {
    match t {
        Type::Int32 | Type::Uint32 => 1,
        Type::Int64 | Type::Uint64 => 2,
        Type::Fixed32 | Type::Sfixed32 => 3,
        Type::Fixed64 | Type::Sfixed64 => 4,
        Type::Bool => 5,
        Type::Sint32 => 6,
        Type::Sint64 => 7,
        Type::String => 8,
        Type::Bytes => 9,
        Type::Double => 10,
        Type::Float => 11,
        Type::Group => 12,
        Type::Message => 13,
        Type::Enum => 14,
    }
}

/// A field's default, explicit or implied, comparable across types as buf compares them.
struct Default {
    value: DefaultValue,
    shown: String,
}

enum DefaultValue {
    Text(String),
    Number(f64),
    NaN,
}

impl Default {
    fn is_zero(&self) -> bool {
        match &self.value {
            DefaultValue::Text(t) => t.is_empty(),
            DefaultValue::Number(n) => *n == 0.0,
            DefaultValue::NaN => false,
        }
    }

    fn same_as(&self, other: &Default) -> bool {
        match (&self.value, &other.value) {
            (DefaultValue::Text(a), DefaultValue::Text(b)) => a == b,
            (DefaultValue::Number(a), DefaultValue::Number(b)) => a == b,
            (DefaultValue::NaN, DefaultValue::NaN) => true,
            _ => false,
        }
    }
}

fn default_of(index: &Index, field: &FieldDescriptorProto) -> Default {
    let explicit = field.default_value.as_deref();
    match field.r#type() {
        Type::String | Type::Bytes => {
            let text = explicit.unwrap_or_default().to_owned();
            Default {
                shown: format!("{text:?}"),
                value: DefaultValue::Text(text),
            }
        }
        Type::Enum => {
            let values = index.enum_of(field).map(|e| &e.item.value);
            let number = match explicit {
                Some(name) => values
                    .and_then(|v| v.iter().find(|v| v.name() == name))
                    .map_or(0, |v| v.number()),
                None => values.and_then(|v| v.first()).map_or(0, |v| v.number()),
            };
            Default {
                shown: explicit.unwrap_or("first value").to_owned(),
                value: DefaultValue::Number(f64::from(number)),
            }
        }
        _ => {
            let text = explicit.unwrap_or("0");
            let value = match text {
                "true" => DefaultValue::Number(1.0),
                "false" => DefaultValue::Number(0.0),
                "inf" => DefaultValue::Number(f64::INFINITY),
                "-inf" => DefaultValue::Number(f64::NEG_INFINITY),
                "nan" | "-nan" => DefaultValue::NaN,
                other => other
                    .parse()
                    .map_or(DefaultValue::NaN, DefaultValue::Number),
            };
            Default {
                shown: text.to_owned(),
                value,
            }
        }
    }
}
