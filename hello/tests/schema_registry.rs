//! Building descriptor sets: the optional `Describe` probe the service macro relies on, the errors a
//! registry reports, and that a reflection library accepts what it builds.

use hello::__private::{NotDescribed, Probe};
use hello::{Describe, MessageRef, MethodInfo, MethodKind, Registry, ServiceInfo};
use prost::Message;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "demo")]
pub struct Ping {
    #[prost(string, tag = "1")]
    pub text: String,
    #[prost(enumeration = "Mood", tag = "2")]
    pub mood: i32,
    #[prost(message, repeated, tag = "3")]
    pub echoes: Vec<Ping>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe,
)]
#[repr(i32)]
#[describe(package = "demo")]
pub enum Mood {
    Calm = 0,
    Loud = 1,
}

/// A message that does not describe itself.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Plain {
    #[prost(string, tag = "1")]
    pub text: String,
}

/// Another `demo.Ping`, in Rust a different type.
mod clash {
    #[derive(Clone, PartialEq, prost::Message, hello::Describe)]
    #[describe(package = "demo")]
    pub struct Ping {}
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "demo", name = "Missing.Child")]
pub struct Orphan {}

// What the service macro emits for a method's messages: `Some` for a described message, `None` otherwise,
// both in constant context.
const DESCRIBED: Option<MessageRef> = {
    #[allow(unused_imports)]
    use NotDescribed as _;
    Probe::<Ping>::MESSAGE
};
const NOT_DESCRIBED: Option<MessageRef> = {
    #[allow(unused_imports)]
    use NotDescribed as _;
    Probe::<Plain>::MESSAGE
};

const fn method(
    name: &'static str,
    input: Option<MessageRef>,
    output: Option<MessageRef>,
) -> MethodInfo {
    MethodInfo {
        name,
        rust_name: name,
        path: name,
        kind: MethodKind::ServerStreaming,
        input_type: "Ping",
        output_type: "Plain",
        input_descriptor: input,
        output_descriptor: output,
        docs: "",
        idempotency: prost_types::method_options::IdempotencyLevel::IdempotencyUnknown,
    }
}

const fn service(methods: &'static [MethodInfo]) -> ServiceInfo {
    ServiceInfo {
        package: "demo",
        name: "Echo",
        full_name: "demo.Echo",
        methods,
        docs: "",
    }
}

#[test]
fn the_probe_finds_describe_only_where_it_is() {
    assert_eq!(
        DESCRIBED.map(|m| m.full_name()),
        Some("demo.Ping".to_owned())
    );
    assert_eq!(DESCRIBED, Some(MessageRef::of::<Ping>()));
    assert_eq!(NOT_DESCRIBED, None);
}

#[test]
fn a_method_whose_message_does_not_describe_itself_is_named() {
    const ECHO: ServiceInfo = service(&[method("Echo", DESCRIBED, NOT_DESCRIBED)]);
    let error = ECHO
        .file_descriptor_set()
        .expect_err("Plain does not derive Describe");
    assert_eq!(
        error.problems(),
        ["demo.Echo.Echo: the output message `Plain` does not derive hello::Describe"]
    );
}

#[test]
fn an_enum_is_not_a_method_message() {
    const ECHO: ServiceInfo = service(&[method("Echo", DESCRIBED, Some(MessageRef::of::<Mood>()))]);
    let error = ECHO.file_descriptor_set().expect_err("an enum");
    assert_eq!(
        error.to_string(),
        "demo.Echo.Echo: demo.Mood is an enum, not a message"
    );
}

#[test]
fn two_rust_types_with_one_name_are_reported() {
    let error = Registry::new()
        .add::<Ping>()
        .add::<clash::Ping>()
        .build()
        .expect_err("a clash");
    let problem = &error.problems()[0];
    assert!(
        problem.starts_with("demo.Ping: two Rust types have this protobuf name"),
        "{problem}"
    );
    assert!(problem.contains("registry::clash::Ping"), "{problem}");
}

#[test]
fn a_nested_type_needs_its_parent() {
    let error = Registry::new()
        .add::<Orphan>()
        .build()
        .expect_err("no parent");
    assert_eq!(
        error.to_string(),
        "demo.Missing.Child: nested in demo.Missing, which no registered type is (derive Describe for it and refer to it)"
    );
}

#[test]
fn a_reflection_library_reads_the_descriptors_and_decodes_our_bytes() {
    const ECHO: ServiceInfo = service(&[method("Echo", DESCRIBED, DESCRIBED)]);
    let set = ECHO.file_descriptor_set().expect("descriptors");
    let pool = prost_reflect::DescriptorPool::from_file_descriptor_set(set).expect("a valid pool");
    let service = pool.get_service_by_name("demo.Echo").expect("the service");
    let method = service.methods().next().expect("a method");
    assert_eq!(method.input().full_name(), "demo.Ping");
    assert!(method.is_server_streaming() && !method.is_client_streaming());

    let ping = Ping {
        text: "北京".into(),
        mood: Mood::Loud as i32,
        echoes: vec![Ping {
            text: "again".into(),
            mood: 0,
            echoes: vec![],
        }],
    };
    let dynamic =
        prost_reflect::DynamicMessage::decode(method.input(), ping.encode_to_vec().as_slice())
            .expect("decodes");
    assert_eq!(
        dynamic.get_field_by_name("text").expect("text").as_str(),
        Some("北京")
    );
    assert_eq!(
        dynamic
            .get_field_by_name("mood")
            .expect("mood")
            .as_enum_number(),
        Some(1)
    );
    let echoes = dynamic.get_field_by_name("echoes").expect("echoes");
    assert_eq!(echoes.as_list().map(<[_]>::len), Some(1));
    // And back: the dynamic message's bytes decode as our struct.
    assert_eq!(
        Ping::decode(dynamic.encode_to_vec().as_slice()).expect("decodes"),
        ping
    );
}
