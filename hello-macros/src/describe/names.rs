//! Naming rules of the derive: Rust identifiers to protobuf names.

/// A field's protobuf name from its Rust identifier: `r#type` -> `type`.
pub fn field_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

/// `HttpRequest` -> `http_request`: a oneof variant back to the field prost-build made it from.
pub fn snake_case(pascal: &str) -> String {
    words(pascal).join("_").to_lowercase()
}

/// `HttpRequest` -> `HTTP_REQUEST`: an enum variant as a protobuf enum value.
pub fn screaming_snake_case(pascal: &str) -> String {
    words(pascal).join("_").to_uppercase()
}

/// The words of a PascalCase name: a new word at a lower-to-upper step and at the end of an acronym.
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
pub fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Identifiers joined by dots (`a.b.c`); empty is allowed where `allow_empty`.
pub fn is_dotted(name: &str, allow_empty: bool) -> bool {
    (allow_empty && name.is_empty()) || name.split('.').all(is_ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake_case("HttpRequest"), "http_request");
        assert_eq!(snake_case("Name"), "name");
        assert_eq!(screaming_snake_case("HTTPRequest"), "HTTP_REQUEST");
        assert_eq!(screaming_snake_case("Universal"), "UNIVERSAL");
        assert_eq!(screaming_snake_case("Value2"), "VALUE2");
        assert!(is_dotted("a.b_c.D", false));
        assert!(!is_dotted("a..b", false));
        assert!(is_dotted("", true));
    }
}
