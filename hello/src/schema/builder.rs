//! The builders that `#[derive(Describe)]` code calls: the generated code lists fields, the rules of
//! descriptors (json names, map entries, synthetic oneofs, packing) live here once.
#![allow(missing_docs)] // what generated code calls, reached only through `__private`

use prost_types::descriptor_proto::ReservedRange;
use prost_types::enum_descriptor_proto::EnumReservedRange;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FieldOptions, MessageOptions, OneofDescriptorProto,
};

use crate::schema::describe::{TypeDescriptor, full_name};

/// The type of a field as `#[prost(...)]` states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Double,
    Float,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Bool,
    String,
    Bytes,
    /// A message, by full name without the leading dot (`hello.Point`).
    Message(String),
    /// An enum, by full name without the leading dot.
    Enum(String),
}

impl FieldType {
    fn proto_type(&self) -> Type {
        match self {
            Self::Double => Type::Double,
            Self::Float => Type::Float,
            Self::Int32 => Type::Int32,
            Self::Int64 => Type::Int64,
            Self::Uint32 => Type::Uint32,
            Self::Uint64 => Type::Uint64,
            Self::Sint32 => Type::Sint32,
            Self::Sint64 => Type::Sint64,
            Self::Fixed32 => Type::Fixed32,
            Self::Fixed64 => Type::Fixed64,
            Self::Sfixed32 => Type::Sfixed32,
            Self::Sfixed64 => Type::Sfixed64,
            Self::Bool => Type::Bool,
            Self::String => Type::String,
            Self::Bytes => Type::Bytes,
            Self::Message(_) => Type::Message,
            Self::Enum(_) => Type::Enum,
        }
    }

    fn type_name(&self) -> Option<String> {
        match self {
            Self::Message(name) | Self::Enum(name) => Some(format!(".{name}")),
            _ => None,
        }
    }

    /// Whether repeated values of this type can be packed (every numeric type, enums included).
    fn packable(&self) -> bool {
        !matches!(self, Self::String | Self::Bytes | Self::Message(_))
    }
}

/// How many values a field holds, as prost's label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// No label: a proto3 singular field (a message field is then `optional` in prost's words).
    Singular,
    /// `optional` on a scalar: proto3 explicit presence.
    Optional,
    /// `repeated`; `packed` as prost encodes it (numeric types default to packed).
    Repeated { packed: bool },
}

/// A field descriptor with the name, number and type set the way protoc sets them.
fn field(name: &str, number: u32, ty: &FieldType, label: Label) -> FieldDescriptorProto {
    FieldDescriptorProto {
        name: Some(name.to_owned()),
        number: Some(number as i32),
        label: Some(label as i32),
        r#type: Some(ty.proto_type() as i32),
        type_name: ty.type_name(),
        json_name: Some(json_name(name)),
        ..Default::default()
    }
}

/// protoc's JSON name: `point_count` -> `pointCount`.
pub(crate) fn json_name(name: &str) -> String {
    camel(name, false)
}

/// protoc's map entry name: `my_map` -> `MyMapEntry`.
pub(crate) fn map_entry_name(field: &str) -> String {
    camel(field, true) + "Entry"
}

fn camel(name: &str, mut upper_next: bool) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The last part of a dotted name: the descriptor of `Outer.Inner` is named `Inner`.
fn simple_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Builds a message's descriptor field by field, in declaration order.
pub struct MessageBuilder {
    full_name: String,
    message: DescriptorProto,
    /// proto3 `optional` fields, whose synthetic oneofs come after every real oneof.
    optional_fields: Vec<usize>,
}

impl MessageBuilder {
    /// A message `name` (possibly `Outer.Inner`) in `package`.
    pub fn new(package: &str, name: &str) -> Self {
        Self {
            full_name: full_name(package, name),
            message: DescriptorProto {
                name: Some(simple_name(name).to_owned()),
                ..Default::default()
            },
            optional_fields: Vec::new(),
        }
    }

    /// A plain, optional or repeated field.
    pub fn field(&mut self, name: &str, number: u32, ty: FieldType, cardinality: Cardinality) {
        let label = match cardinality {
            Cardinality::Repeated { .. } => Label::Repeated,
            Cardinality::Singular | Cardinality::Optional => Label::Optional,
        };
        let mut descriptor = field(name, number, &ty, label);
        match cardinality {
            Cardinality::Singular => {}
            // A singular message field already has presence: prost's `optional` adds nothing there.
            Cardinality::Optional if matches!(ty, FieldType::Message(_)) => {}
            Cardinality::Optional => {
                descriptor.proto3_optional = Some(true);
                self.optional_fields.push(self.message.field.len());
            }
            // proto3 packs numeric repeated fields unless told not to.
            Cardinality::Repeated { packed } => {
                if ty.packable() && !packed {
                    descriptor.options = Some(FieldOptions {
                        packed: Some(false),
                        ..Default::default()
                    });
                }
            }
        }
        self.message.field.push(descriptor);
    }

    /// A `map<key, value>` field, with its `XxxEntry` nested message.
    pub fn map(&mut self, name: &str, number: u32, key: FieldType, value: FieldType) {
        let entry = map_entry_name(name);
        let entry_full_name = format!("{}.{entry}", self.full_name);
        self.message.nested_type.push(DescriptorProto {
            name: Some(entry),
            field: vec![
                field("key", 1, &key, Label::Optional),
                field("value", 2, &value, Label::Optional),
            ],
            options: Some(MessageOptions {
                map_entry: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        });
        self.message.field.push(field(
            name,
            number,
            &FieldType::Message(entry_full_name),
            Label::Repeated,
        ));
    }

    /// A `oneof name { ... }` holding `fields` (from [`crate::DescribeOneof::fields`]).
    pub fn oneof(&mut self, name: &str, fields: Vec<FieldDescriptorProto>) {
        let index = self.message.oneof_decl.len() as i32;
        self.message.oneof_decl.push(OneofDescriptorProto {
            name: Some(name.to_owned()),
            options: None,
        });
        for mut field in fields {
            field.oneof_index = Some(index);
            self.message.field.push(field);
        }
    }

    /// `reserved start to end;` (both included): numbers no field may take again.
    pub fn reserved_range(&mut self, start: u32, end: u32) {
        self.message.reserved_range.push(ReservedRange {
            start: Some(start as i32),
            // Message ranges end exclusive in descriptors.
            end: Some(end as i32 + 1),
        });
    }

    /// `reserved "name";`: a name no field may take again.
    pub fn reserved_name(&mut self, name: &str) {
        self.message.reserved_name.push(name.to_owned());
    }

    /// The descriptor.
    pub fn finish(mut self) -> TypeDescriptor {
        for index in self.optional_fields {
            let field = &mut self.message.field[index];
            // protoc's rule for the synthetic oneof's name.
            let name = field.name();
            let oneof = if name.starts_with('_') {
                format!("X{name}")
            } else {
                format!("_{name}")
            };
            field.oneof_index = Some(self.message.oneof_decl.len() as i32);
            self.message.oneof_decl.push(OneofDescriptorProto {
                name: Some(oneof),
                options: None,
            });
        }
        TypeDescriptor::Message(self.message)
    }
}

/// Builds the fields of a oneof, one per variant.
#[derive(Default)]
pub struct OneofBuilder {
    fields: Vec<FieldDescriptorProto>,
}

impl OneofBuilder {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A variant: a singular field of the oneof.
    pub fn field(&mut self, name: &str, number: u32, ty: FieldType) {
        self.fields.push(field(name, number, &ty, Label::Optional));
    }

    /// The fields, in declaration order.
    pub fn finish(self) -> Vec<FieldDescriptorProto> {
        self.fields
    }
}

/// Builds an enum's descriptor value by value.
pub struct EnumBuilder {
    enumeration: EnumDescriptorProto,
}

impl EnumBuilder {
    /// An enum `name` (possibly `Outer.Inner`).
    pub fn new(name: &str) -> Self {
        Self {
            enumeration: EnumDescriptorProto {
                name: Some(simple_name(name).to_owned()),
                ..Default::default()
            },
        }
    }

    /// A value `NAME = number`.
    pub fn value(&mut self, name: &str, number: i32) {
        self.enumeration.value.push(EnumValueDescriptorProto {
            name: Some(name.to_owned()),
            number: Some(number),
            options: None,
        });
    }

    /// `reserved start to end;` (both included): numbers no value may take again.
    pub fn reserved_range(&mut self, start: i32, end: i32) {
        // Enum ranges end inclusive in descriptors.
        self.enumeration.reserved_range.push(EnumReservedRange {
            start: Some(start),
            end: Some(end),
        });
    }

    /// `reserved "NAME";`: a name no value may take again.
    pub fn reserved_name(&mut self, name: &str) {
        self.enumeration.reserved_name.push(name.to_owned());
    }

    /// The descriptor.
    pub fn finish(self) -> TypeDescriptor {
        TypeDescriptor::Enum(self.enumeration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_protoc() {
        assert_eq!(json_name("point_count"), "pointCount");
        assert_eq!(json_name("a__b_"), "aB");
        assert_eq!(map_entry_name("my_map"), "MyMapEntry");
        assert_eq!(map_entry_name("tags"), "TagsEntry");
    }
}
