//! Naming rules shared by the stages: snake_case methods to PascalCase gRPC names, and back.

/// `get_feature` -> `GetFeature`; `r#type` -> `Type`.
pub fn pascal_case(snake: &str) -> String {
    let snake = snake.strip_prefix("r#").unwrap_or(snake);
    let mut out = String::with_capacity(snake.len());
    let mut upper = true;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `RouteGuide` -> `route_guide`, as tonic-build names its `route_guide_server` module.
pub fn snake_case(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() {
            if i != 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A protobuf identifier: a letter or `_`, then letters, digits or `_`.
pub fn is_proto_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A protobuf package: identifiers joined by dots, or empty for none.
pub fn is_proto_package(package: &str) -> bool {
    package.is_empty() || package.split('.').all(is_proto_ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case() {
        assert_eq!(pascal_case("get_feature"), "GetFeature");
        assert_eq!(pascal_case("route_chat2"), "RouteChat2");
        assert_eq!(pascal_case("r#type"), "Type");
        assert_eq!(snake_case("Hello"), "hello");
        assert_eq!(snake_case("RouteGuide"), "route_guide");
    }

    #[test]
    fn checks_packages() {
        assert!(is_proto_package("grpc.testing"));
        assert!(is_proto_package(""));
        assert!(!is_proto_package("grpc..testing"));
        assert!(!is_proto_package("1hello"));
        assert!(!is_proto_package("hello-world"));
    }
}
