//! Every naming rule of both macros, named by what it names.
//!
//! Two snake cases live here on purpose, because each must give back what another tool wrote:
//! - the generated modules (`route_guide_server`) are named as tonic-build names them, so code written against a
//!   tonic-build service compiles unchanged. tonic-build's rule is naive: `_` before every uppercase letter but the
//!   first, so `HTTPProxy` gives `h_t_t_p_proxy_server`, and that is what its users import;
//! - the derive recovers protobuf names from the Rust names prost-build made of them (`http_proxy` became
//!   `HttpProxy`, `HTTP_PROXY` became `HttpProxy`), so it splits words as a person reads them: `HTTPProxy` gives
//!   `http_proxy`.

/// The gRPC name of a method from its Rust name, as tonic-build wrote it the other way: `get_feature` ->
/// `GetFeature`; `r#type` -> `Type`.
pub fn rpc_method_name(rust_name: &str) -> String {
    let snake = rust_name.strip_prefix("r#").unwrap_or(rust_name);
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

/// `RouteGuide` -> `route_guide_server`: the module of the generated server, as tonic-build names it.
pub fn server_module(service_trait: &str) -> String {
    format!("{}_server", tonic_snake_case(service_trait))
}

/// `RouteGuide` -> `route_guide_client`: the module of the generated client, as tonic-build names it.
pub fn client_module(service_trait: &str) -> String {
    format!("{}_client", tonic_snake_case(service_trait))
}

/// `RouteGuide` -> `ROUTE_GUIDE_SERVICE`: the constant holding the service's `ServiceInfo`; a trait already named
/// `...Service` is not suffixed twice.
pub fn service_info_const(service_trait: &str) -> String {
    let upper = tonic_snake_case(service_trait).to_uppercase();
    if upper == "SERVICE" || upper.ends_with("_SERVICE") {
        upper
    } else {
        format!("{upper}_SERVICE")
    }
}

/// tonic-build's `naive_snake_case`: lowercase (ASCII) each character, with `_` before each uppercase one but the
/// first.
fn tonic_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c.to_ascii_lowercase());
        if chars.peek().is_some_and(|next| next.is_uppercase()) {
            out.push('_');
        }
    }
    out
}

/// A message field's protobuf name from its Rust identifier, which prost-build kept as is: `r#type` -> `type`.
pub fn proto_field_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

/// A oneof field's protobuf name from the variant prost-build made of it: `HttpRequest` -> `http_request`.
pub fn oneof_field_name(variant: &str) -> String {
    words(variant).join("_").to_lowercase()
}

/// An enum value's protobuf name from the variant prost-build made of it (after removing `prefix`, which the
/// user gives back): `HttpRequest` -> `HTTP_REQUEST`.
pub fn enum_value_name(prefix: &str, variant: &str) -> String {
    format!("{prefix}{}", words(variant).join("_").to_uppercase())
}

/// The words of a PascalCase name, as they were before prost-build joined them: a new word at a lower-to-upper
/// or digit-to-upper step and at the end of an acronym (`HTTPProxy` is `HTTP`, `Proxy`), and at each `_`.
fn words(pascal: &str) -> Vec<String> {
    let chars: Vec<char> = pascal.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
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
    package.is_empty() || is_proto_type_name(package)
}

/// A type's name inside its package: an identifier, or `Outer.Inner` for a nested type.
pub fn is_proto_type_name(name: &str) -> bool {
    name.split('.').all(is_proto_ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpc_methods_are_pascal_case() {
        assert_eq!(rpc_method_name("get_feature"), "GetFeature");
        assert_eq!(rpc_method_name("route_chat2"), "RouteChat2");
        assert_eq!(rpc_method_name("r#type"), "Type");
    }

    #[test]
    fn generated_items_are_named_as_tonic_build_names_them() {
        assert_eq!(server_module("Hello"), "hello_server");
        assert_eq!(server_module("HelloServer"), "hello_server_server");
        assert_eq!(client_module("RouteGuide"), "route_guide_client");
        // tonic-build's naive rule, kept so its users' imports still resolve.
        assert_eq!(server_module("HTTPProxy"), "h_t_t_p_proxy_server");
        assert_eq!(server_module("Ärger"), "Ärger_server");
        assert_eq!(service_info_const("RouteGuide"), "ROUTE_GUIDE_SERVICE");
        assert_eq!(service_info_const("HealthService"), "HEALTH_SERVICE");
        assert_eq!(service_info_const("Service"), "SERVICE");
    }

    #[test]
    fn proto_names_are_recovered_from_prost_names() {
        assert_eq!(proto_field_name(&syn::parse_quote!(r#type)), "type");
        assert_eq!(proto_field_name(&syn::parse_quote!(name)), "name");
        assert_eq!(oneof_field_name("HttpRequest"), "http_request");
        assert_eq!(oneof_field_name("Name"), "name");
        // Unlike the module names above: prost-build's user wrote `http_proxy`.
        assert_eq!(oneof_field_name("HTTPProxy"), "http_proxy");
        assert_eq!(oneof_field_name("Http2Request"), "http2_request");
        assert_eq!(enum_value_name("", "HTTPRequest"), "HTTP_REQUEST");
        assert_eq!(enum_value_name("", "Universal"), "UNIVERSAL");
        assert_eq!(enum_value_name("", "Value2"), "VALUE2");
        assert_eq!(enum_value_name("CORPUS_", "Web"), "CORPUS_WEB");
    }

    #[test]
    fn checks_proto_names() {
        assert!(is_proto_package("grpc.testing"));
        assert!(is_proto_package(""));
        assert!(!is_proto_package("grpc..testing"));
        assert!(!is_proto_package("1hello"));
        assert!(!is_proto_package("hello-world"));
        assert!(is_proto_type_name("a.b_c.D"));
        assert!(!is_proto_type_name("a..b"));
        assert!(!is_proto_type_name(""));
        assert!(is_proto_ident("_x1"));
        assert!(!is_proto_ident("x.y"));
    }
}
