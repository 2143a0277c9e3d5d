//! buf's breaking rules this gate implements, each with the categories buf puts it in.

use super::Category::{self, File, Wire, WireJson};

/// A rule: buf's ID and the categories whose checks include it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// buf's rule ID, `FIELD_SAME_TYPE`.
    pub id: &'static str,
    /// The categories that check it.
    pub categories: &'static [Category],
}

const fn rule(id: &'static str, categories: &'static [Category]) -> Rule {
    Rule { id, categories }
}

const FILE: &[Category] = &[File];
const FILE_WIRE_JSON: &[Category] = &[File, WireJson];
const EVERY: &[Category] = &[File, WireJson, Wire];
const WIRE_JSON: &[Category] = &[WireJson];
const WIRE_AND_WIRE_JSON: &[Category] = &[WireJson, Wire];
const WIRE: &[Category] = &[Wire];

/// Every rule implemented, as `buf config ls-breaking-rules --version v2` lists them (buf 1.75).
pub const RULES: &[Rule] = &[
    // FILE only: source compatibility of generated code.
    rule("ENUM_NO_DELETE", FILE),
    rule("ENUM_SAME_TYPE", FILE),
    rule("ENUM_VALUE_NO_DELETE", FILE),
    rule("EXTENSION_MESSAGE_NO_DELETE", FILE),
    rule("EXTENSION_NO_DELETE", FILE),
    rule("FIELD_NO_DELETE", FILE),
    rule("FIELD_SAME_CARDINALITY", FILE),
    rule("FIELD_SAME_CPP_STRING_TYPE", FILE),
    rule("FIELD_SAME_JAVA_UTF8_VALIDATION", FILE),
    rule("FIELD_SAME_JSTYPE", FILE),
    rule("FIELD_SAME_TYPE", FILE),
    rule("FIELD_SAME_UTF8_VALIDATION", FILE),
    rule("FILE_NO_DELETE", FILE),
    rule("FILE_SAME_CC_ENABLE_ARENAS", FILE),
    rule("FILE_SAME_CC_GENERIC_SERVICES", FILE),
    rule("FILE_SAME_CSHARP_NAMESPACE", FILE),
    rule("FILE_SAME_GO_PACKAGE", FILE),
    rule("FILE_SAME_JAVA_GENERIC_SERVICES", FILE),
    rule("FILE_SAME_JAVA_MULTIPLE_FILES", FILE),
    rule("FILE_SAME_JAVA_OUTER_CLASSNAME", FILE),
    rule("FILE_SAME_JAVA_PACKAGE", FILE),
    rule("FILE_SAME_OBJC_CLASS_PREFIX", FILE),
    rule("FILE_SAME_OPTIMIZE_FOR", FILE),
    rule("FILE_SAME_PHP_CLASS_PREFIX", FILE),
    rule("FILE_SAME_PHP_METADATA_NAMESPACE", FILE),
    rule("FILE_SAME_PHP_NAMESPACE", FILE),
    rule("FILE_SAME_PY_GENERIC_SERVICES", FILE),
    rule("FILE_SAME_RUBY_PACKAGE", FILE),
    rule("FILE_SAME_SWIFT_PREFIX", FILE),
    rule("FILE_SAME_SYNTAX", FILE),
    rule("MESSAGE_NO_DELETE", FILE),
    rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", FILE),
    rule("ONEOF_NO_DELETE", FILE),
    rule("RPC_NO_DELETE", FILE),
    rule("SERVICE_NO_DELETE", FILE),
    // FILE and WIRE_JSON: names, which JSON carries.
    rule("ENUM_SAME_JSON_FORMAT", FILE_WIRE_JSON),
    rule("ENUM_VALUE_SAME_NAME", FILE_WIRE_JSON),
    rule("FIELD_SAME_JSON_NAME", FILE_WIRE_JSON),
    rule("FIELD_SAME_NAME", FILE_WIRE_JSON),
    rule("MESSAGE_SAME_JSON_FORMAT", FILE_WIRE_JSON),
    // Every category: what breaks the wire itself.
    rule("FIELD_SAME_DEFAULT", EVERY),
    rule("FIELD_SAME_ONEOF", EVERY),
    rule("FILE_SAME_PACKAGE", EVERY),
    rule("MESSAGE_SAME_REQUIRED_FIELDS", EVERY),
    rule("RESERVED_ENUM_NO_DELETE", EVERY),
    rule("RESERVED_MESSAGE_NO_DELETE", EVERY),
    rule("RPC_SAME_CLIENT_STREAMING", EVERY),
    rule("RPC_SAME_IDEMPOTENCY_LEVEL", EVERY),
    rule("RPC_SAME_REQUEST_TYPE", EVERY),
    rule("RPC_SAME_RESPONSE_TYPE", EVERY),
    rule("RPC_SAME_SERVER_STREAMING", EVERY),
    // WIRE_JSON's lenient forms of FILE's deletions and type rules.
    rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", WIRE_JSON),
    rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", WIRE_JSON),
    rule("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", WIRE_JSON),
    rule("FIELD_WIRE_JSON_COMPATIBLE_TYPE", WIRE_JSON),
    rule(
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        WIRE_AND_WIRE_JSON,
    ),
    rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", WIRE_AND_WIRE_JSON),
    rule("FIELD_WIRE_COMPATIBLE_CARDINALITY", WIRE),
    rule("FIELD_WIRE_COMPATIBLE_TYPE", WIRE),
];

/// Whether `category` checks the rule `id`.
pub(super) fn in_category(id: &str, category: Category) -> bool {
    RULES
        .iter()
        .any(|r| r.id == id && r.categories.contains(&category))
}
