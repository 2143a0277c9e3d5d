//! Finds the message type inside a field's Rust type: `Option<Point>`, `Vec<Point>`, `Option<Box<Point>>`,
//! `HashMap<String, Point>`.

use syn::{GenericArgument, PathArguments, Type};

/// The type arguments of the last segment of a path type: `Option<T>` -> `[T]`.
fn type_args(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The message in a singular message field's type, through `Option` and `Box`: `Option<Vec<u8>>` is the
/// message `Vec<u8>` (google.protobuf.BytesValue), not a list.
pub fn message_type(ty: &Type) -> &Type {
    let mut ty = ty;
    while let Type::Group(group) = ty {
        ty = &group.elem;
    }
    match type_args(ty) {
        Some((wrapper, args))
            if matches!(wrapper.as_str(), "Option" | "Box") && args.len() == 1 =>
        {
            message_type(args[0])
        }
        _ => ty,
    }
}

/// The message in a message field's type: a repeated field's `Vec` is the list, then as [`message_type`].
pub fn message_type_of(ty: &Type, repeated: bool) -> &Type {
    let mut ty = ty;
    while let Type::Group(group) = ty {
        ty = &group.elem;
    }
    match type_args(ty) {
        Some((wrapper, args)) if repeated && wrapper == "Vec" && args.len() == 1 => {
            message_type(args[0])
        }
        _ => message_type(ty),
    }
}

/// The message in a map field's value type: the second type argument of the map, unboxed.
pub fn map_value_type(ty: &Type) -> Option<&Type> {
    let (_, args) = type_args(ty)?;
    (args.len() >= 2).then(|| message_type(args[1]))
}

/// Whether `ty` names a type (a path), as a message type must.
pub fn is_named(ty: &Type) -> bool {
    matches!(ty, Type::Path(_))
}
