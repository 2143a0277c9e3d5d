//! A descriptor set laid out for comparison: files by path; messages, enums and services by full name, each
//! with its file and its name inside the file (buf's "nested name").

use std::collections::BTreeMap;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    FileDescriptorSet, ServiceDescriptorProto,
};

use crate::schema::wkt::is_well_known_file;

/// A message or enum and where it is declared.
pub(super) struct Declared<'a, T> {
    /// The descriptor.
    pub item: &'a T,
    /// Its file.
    pub file: &'a FileDescriptorProto,
    /// Its name inside the file: `Outer.Inner`.
    pub nested: String,
}

impl<T> Declared<'_, T> {
    /// Whether its file is proto2 (closed enums, explicit presence, no UTF-8 check).
    pub fn proto2(&self) -> bool {
        is_proto2(self.file)
    }
}

/// Whether a file is proto2: its syntax says so, or it says nothing.
pub(super) fn is_proto2(file: &FileDescriptorProto) -> bool {
    matches!(file.syntax(), "" | "proto2")
}

/// A set's declarations. Ordered maps, so findings come out in the same order every run.
pub(super) struct Index<'a> {
    pub files: BTreeMap<&'a str, &'a FileDescriptorProto>,
    pub messages: BTreeMap<String, Declared<'a, DescriptorProto>>,
    pub enums: BTreeMap<String, Declared<'a, EnumDescriptorProto>>,
    pub services: BTreeMap<String, Declared<'a, ServiceDescriptorProto>>,
}

impl<'a> Index<'a> {
    pub fn of(set: &'a FileDescriptorSet) -> Self {
        let mut index = Index {
            files: BTreeMap::new(),
            messages: BTreeMap::new(),
            enums: BTreeMap::new(),
            services: BTreeMap::new(),
        };
        for file in set.file.iter().filter(|f| !is_well_known_file(f.name())) {
            index.files.insert(file.name(), file);
            let package = file.package();
            for message in &file.message_type {
                index.add_message(file, package, "", message);
            }
            for enumeration in &file.enum_type {
                index.add_enum(file, package, "", enumeration);
            }
            for service in &file.service {
                index.services.insert(
                    join(package, service.name()),
                    Declared {
                        item: service,
                        file,
                        nested: service.name().to_owned(),
                    },
                );
            }
        }
        index
    }

    fn add_message(
        &mut self,
        file: &'a FileDescriptorProto,
        package: &str,
        parent: &str,
        message: &'a DescriptorProto,
    ) {
        let nested = join(parent, message.name());
        for inner in &message.nested_type {
            self.add_message(file, package, &nested, inner);
        }
        for enumeration in &message.enum_type {
            self.add_enum(file, package, &nested, enumeration);
        }
        self.messages.insert(
            join(package, &nested),
            Declared {
                item: message,
                file,
                nested,
            },
        );
    }

    fn add_enum(
        &mut self,
        file: &'a FileDescriptorProto,
        package: &str,
        parent: &str,
        enumeration: &'a EnumDescriptorProto,
    ) {
        let nested = join(parent, enumeration.name());
        self.enums.insert(
            join(package, &nested),
            Declared {
                item: enumeration,
                file,
                nested,
            },
        );
    }

    /// The message a field's type names, if this set declares it.
    pub fn message_of(
        &self,
        field: &FieldDescriptorProto,
    ) -> Option<&Declared<'a, DescriptorProto>> {
        self.messages.get(field.type_name().trim_start_matches('.'))
    }

    /// The enum a field's type names, if this set declares it.
    pub fn enum_of(
        &self,
        field: &FieldDescriptorProto,
    ) -> Option<&Declared<'a, EnumDescriptorProto>> {
        self.enums.get(field.type_name().trim_start_matches('.'))
    }

    /// The messages declared in `file`, by nested name.
    pub fn messages_in(&self, file: &str) -> BTreeMap<&str, &Declared<'a, DescriptorProto>> {
        self.messages
            .values()
            .filter(|m| m.file.name() == file)
            .map(|m| (m.nested.as_str(), m))
            .collect()
    }

    /// The enums declared in `file`, by nested name.
    pub fn enums_in(&self, file: &str) -> BTreeMap<&str, &Declared<'a, EnumDescriptorProto>> {
        self.enums
            .values()
            .filter(|e| e.file.name() == file)
            .map(|e| (e.nested.as_str(), e))
            .collect()
    }

    /// How many values the field holds, as buf tells them apart.
    pub fn cardinality(&self, field: &FieldDescriptorProto, proto2: bool) -> Cardinality {
        match field.label() {
            Label::Repeated
                if field.r#type() == Type::Message
                    && self.message_of(field).is_some_and(|m| is_map_entry(m.item)) =>
            {
                Cardinality::Map
            }
            Label::Repeated => Cardinality::Repeated,
            Label::Required => Cardinality::Required,
            Label::Optional if has_presence(field, proto2) => Cardinality::ExplicitPresence,
            Label::Optional => Cardinality::ImplicitPresence,
        }
    }
}

/// Whether a singular field tells "unset" from its zero value.
fn has_presence(field: &FieldDescriptorProto, proto2: bool) -> bool {
    proto2
        || field.proto3_optional()
        || field.oneof_index.is_some()
        || matches!(field.r#type(), Type::Message | Type::Group)
}

pub(super) fn is_map_entry(message: &DescriptorProto) -> bool {
    message.options.as_ref().is_some_and(|o| o.map_entry())
}

/// A field's cardinality in buf's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cardinality {
    ExplicitPresence,
    ImplicitPresence,
    Required,
    Repeated,
    Map,
}

impl Cardinality {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExplicitPresence => "optional with explicit presence",
            Self::ImplicitPresence => "optional with implicit presence",
            Self::Required => "required",
            Self::Repeated => "repeated",
            Self::Map => "map",
        }
    }

    /// Cardinalities the wire reads alike: singular; required; repeated and map.
    pub fn wire_group(self) -> u8 {
        match self {
            Self::ExplicitPresence | Self::ImplicitPresence => 1,
            Self::Required => 2,
            Self::Repeated | Self::Map => 3,
        }
    }

    /// As [`Self::wire_group`], but JSON writes maps and lists differently.
    pub fn wire_json_group(self) -> u8 {
        match self {
            Self::Map => 4,
            other => other.wire_group(),
        }
    }
}

pub(super) fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}
