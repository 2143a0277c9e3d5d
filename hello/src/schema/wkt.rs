//! The well-known types of `google/protobuf/*.proto`, described as those files describe them.
//!
//! Each lives in its own fixed file (`google/protobuf/timestamp.proto`), which the registry lays out whole and
//! the user's file imports, as protoc does; the Rust types are prost's mapping: prost-types' structs, `()` for
//! `Empty` and the plain Rust types for the wrappers.

use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto, FileOptions};

use crate::schema::builder::{Cardinality, EnumBuilder, FieldType, MessageBuilder};
use crate::schema::describe::{Describe, TypeDescriptor};
use crate::schema::registry::Registry;

const PACKAGE: &str = "google.protobuf";

/// Whether `name` is one of protobuf's own files, which every compiler ships (`google/protobuf/...`).
pub fn is_well_known_file(name: &str) -> bool {
    name.starts_with("google/protobuf/")
}

/// The whole descriptor of a well-known file this crate describes, as protoc gives it (no source info).
pub(crate) fn file(name: &str) -> Option<FileDescriptorProto> {
    let message = |name: &str, build: &dyn Fn(&mut MessageBuilder)| {
        let mut builder = MessageBuilder::new(PACKAGE, name);
        build(&mut builder);
        match builder.finish() {
            TypeDescriptor::Message(message) => message,
            TypeDescriptor::Enum(_) => unreachable!("a message builder builds messages"),
        }
    };
    let seconds_nanos = |b: &mut MessageBuilder| {
        b.field("seconds", 1, FieldType::Int64, Cardinality::Singular);
        b.field("nanos", 2, FieldType::Int32, Cardinality::Singular);
    };
    let (messages, enums, outer_class, go, arenas) = match name {
        "google/protobuf/any.proto" => {
            let any = message("Any", &|b| {
                b.field("type_url", 1, FieldType::String, Cardinality::Singular);
                b.field("value", 2, FieldType::Bytes, Cardinality::Singular);
            });
            (vec![any], vec![], "AnyProto", "anypb", false)
        }
        "google/protobuf/duration.proto" => (
            vec![message("Duration", &seconds_nanos)],
            vec![],
            "DurationProto",
            "durationpb",
            true,
        ),
        "google/protobuf/empty.proto" => (
            vec![message("Empty", &|_| {})],
            vec![],
            "EmptyProto",
            "emptypb",
            true,
        ),
        "google/protobuf/field_mask.proto" => {
            let mask = message("FieldMask", &|b| {
                let repeated = Cardinality::Repeated { packed: false };
                b.field("paths", 1, FieldType::String, repeated);
            });
            (vec![mask], vec![], "FieldMaskProto", "fieldmaskpb", true)
        }
        "google/protobuf/struct.proto" => (
            struct_messages(),
            vec![null_value()],
            "StructProto",
            "structpb",
            true,
        ),
        "google/protobuf/timestamp.proto" => (
            vec![message("Timestamp", &seconds_nanos)],
            vec![],
            "TimestampProto",
            "timestamppb",
            true,
        ),
        "google/protobuf/wrappers.proto" => {
            let wrappers = WRAPPERS
                .iter()
                .map(|(name, ty)| {
                    message(name, &|b| {
                        b.field("value", 1, ty.clone(), Cardinality::Singular)
                    })
                })
                .collect();
            (wrappers, vec![], "WrappersProto", "wrapperspb", true)
        }
        _ => return None,
    };
    Some(FileDescriptorProto {
        name: Some(name.to_owned()),
        package: Some(PACKAGE.to_owned()),
        message_type: messages,
        enum_type: enums,
        options: Some(FileOptions {
            java_package: Some("com.google.protobuf".to_owned()),
            java_outer_classname: Some(outer_class.to_owned()),
            java_multiple_files: Some(true),
            go_package: Some(format!("google.golang.org/protobuf/types/known/{go}")),
            cc_enable_arenas: arenas.then_some(true),
            objc_class_prefix: Some("GPB".to_owned()),
            csharp_namespace: Some("Google.Protobuf.WellKnownTypes".to_owned()),
            ..Default::default()
        }),
        syntax: Some("proto3".to_owned()),
        ..Default::default()
    })
}

/// The messages of `wrappers.proto`, in its order, with the type of their `value`.
const WRAPPERS: [(&str, FieldType); 9] = [
    ("DoubleValue", FieldType::Double),
    ("FloatValue", FieldType::Float),
    ("Int64Value", FieldType::Int64),
    ("UInt64Value", FieldType::Uint64),
    ("Int32Value", FieldType::Int32),
    ("UInt32Value", FieldType::Uint32),
    ("BoolValue", FieldType::Bool),
    ("StringValue", FieldType::String),
    ("BytesValue", FieldType::Bytes),
];

/// `Struct`, `Value` and `ListValue` of `struct.proto`.
fn struct_messages() -> Vec<DescriptorProto> {
    let value = || FieldType::Message(format!("{PACKAGE}.Value"));
    let mut structure = MessageBuilder::new(PACKAGE, "Struct");
    structure.map("fields", 1, FieldType::String, value());
    let mut list = MessageBuilder::new(PACKAGE, "ListValue");
    list.field(
        "values",
        1,
        value(),
        Cardinality::Repeated { packed: false },
    );
    let mut kind = crate::schema::builder::OneofBuilder::new();
    kind.field(
        "null_value",
        1,
        FieldType::Enum(format!("{PACKAGE}.NullValue")),
    );
    kind.field("number_value", 2, FieldType::Double);
    kind.field("string_value", 3, FieldType::String);
    kind.field("bool_value", 4, FieldType::Bool);
    kind.field(
        "struct_value",
        5,
        FieldType::Message(format!("{PACKAGE}.Struct")),
    );
    kind.field(
        "list_value",
        6,
        FieldType::Message(format!("{PACKAGE}.ListValue")),
    );
    let mut value_message = MessageBuilder::new(PACKAGE, "Value");
    value_message.oneof("kind", kind.finish());
    [structure, value_message, list]
        .into_iter()
        .filter_map(|b| b.finish().as_message().cloned())
        .collect()
}

fn null_value() -> EnumDescriptorProto {
    let mut null = EnumBuilder::new("NullValue");
    null.value("NULL_VALUE", 0);
    match null.finish() {
        TypeDescriptor::Enum(e) => e,
        TypeDescriptor::Message(_) => unreachable!("an enum builder builds enums"),
    }
}

/// The descriptor of `name` as its well-known file declares it.
fn declared_in(file_name: &str, name: &str) -> TypeDescriptor {
    let file = file(file_name).unwrap_or_default();
    if let Some(message) = file.message_type.into_iter().find(|m| m.name() == name) {
        return TypeDescriptor::Message(message);
    }
    match file.enum_type.into_iter().find(|e| e.name() == name) {
        Some(enumeration) => TypeDescriptor::Enum(enumeration),
        // Every impl below names a type of its file; the unit test holds them to it.
        None => TypeDescriptor::Message(DescriptorProto::default()),
    }
}

macro_rules! well_known {
    ($($rust:ty => $name:literal in $file:literal $(, reaching $($dep:ty),+)?;)*) => {$(
        impl Describe for $rust {
            const PACKAGE: &'static str = PACKAGE;
            const NAME: &'static str = $name;
            const FILE: Option<&'static str> = Some($file);

            fn descriptor() -> TypeDescriptor {
                declared_in($file, $name)
            }

            fn register_dependencies(registry: &mut Registry) {
                let _ = &registry;
                $($(registry.add::<$dep>();)+)?
            }
        }
    )*};
}

well_known! {
    prost_types::Any => "Any" in "google/protobuf/any.proto";
    prost_types::Duration => "Duration" in "google/protobuf/duration.proto";
    () => "Empty" in "google/protobuf/empty.proto";
    prost_types::FieldMask => "FieldMask" in "google/protobuf/field_mask.proto";
    prost_types::Struct => "Struct" in "google/protobuf/struct.proto", reaching prost_types::Value;
    prost_types::Value => "Value" in "google/protobuf/struct.proto",
        reaching prost_types::NullValue, prost_types::Struct, prost_types::ListValue;
    prost_types::ListValue => "ListValue" in "google/protobuf/struct.proto", reaching prost_types::Value;
    prost_types::NullValue => "NullValue" in "google/protobuf/struct.proto";
    prost_types::Timestamp => "Timestamp" in "google/protobuf/timestamp.proto";
    f64 => "DoubleValue" in "google/protobuf/wrappers.proto";
    f32 => "FloatValue" in "google/protobuf/wrappers.proto";
    i64 => "Int64Value" in "google/protobuf/wrappers.proto";
    u64 => "UInt64Value" in "google/protobuf/wrappers.proto";
    i32 => "Int32Value" in "google/protobuf/wrappers.proto";
    u32 => "UInt32Value" in "google/protobuf/wrappers.proto";
    bool => "BoolValue" in "google/protobuf/wrappers.proto";
    String => "StringValue" in "google/protobuf/wrappers.proto";
    Vec<u8> => "BytesValue" in "google/protobuf/wrappers.proto";
    prost::bytes::Bytes => "BytesValue" in "google/protobuf/wrappers.proto";
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost_types::OneofDescriptorProto;
    use prost_types::field_descriptor_proto::Type;

    fn names<T: Describe>() -> (String, TypeDescriptor) {
        (T::full_name(), T::descriptor())
    }

    #[test]
    fn every_impl_names_a_type_of_its_file() {
        for (name, descriptor) in [
            names::<prost_types::Timestamp>(),
            names::<prost_types::NullValue>(),
            names::<prost_types::ListValue>(),
            names::<()>(),
            names::<Vec<u8>>(),
            names::<prost::bytes::Bytes>(),
            names::<u32>(),
        ] {
            let simple = name.rsplit('.').next().unwrap();
            let declared = match &descriptor {
                TypeDescriptor::Message(m) => m.name(),
                TypeDescriptor::Enum(e) => e.name(),
            };
            assert_eq!(declared, simple, "{name}");
        }
        assert!(matches!(
            names::<prost_types::NullValue>().1,
            TypeDescriptor::Enum(_)
        ));
        let value = names::<prost_types::Value>().1;
        let value = value.as_message().unwrap();
        assert_eq!(
            value.oneof_decl,
            [OneofDescriptorProto {
                name: Some("kind".into()),
                options: None
            }]
        );
        assert_eq!(value.field[0].r#type(), Type::Enum);
    }
}
