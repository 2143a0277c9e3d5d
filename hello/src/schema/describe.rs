//! What a Rust type says about its protobuf schema: the traits `#[derive(Describe)]` implements, and the
//! handle a service method keeps to reach its message's descriptor.

use std::fmt;

use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto};

use crate::schema::registry::Registry;

/// A protobuf message or enum defined in Rust, able to give its own descriptor.
///
/// Derive it beside `prost::Message` (or `prost::Enumeration`) with `#[derive(hello::Describe)]`; the
/// derive reads the same `#[prost(...)]` attributes. The package comes from `#[describe(package = "...")]`, or
/// else from the type's `prost::Name` implementation.
///
/// The well-known types describe themselves as `google/protobuf/*.proto` does, each in its own file that the
/// user's file imports: `prost_types::{Timestamp, Duration, Any, Struct, Value, ListValue, NullValue,
/// FieldMask}`, `()` for `google.protobuf.Empty`, and the wrappers as prost maps them: `f64` (`DoubleValue`),
/// `f32`, `i64`, `u64`, `i32`, `u32`, `bool`, `String`, `Vec<u8>` and `Bytes` (`BytesValue`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not describe its protobuf schema: it does not implement `hello::Describe`",
    label = "`{Self}` is not a described protobuf message or enum",
    note = "your own prost message or enumeration: add `#[derive(hello::Describe)]` beside `#[derive(prost::Message)]` (or `prost::Enumeration`) on `{Self}`",
    note = "a well-known type: use prost-types' (`prost_types::Timestamp`, `Duration`, `Any`, `Struct`, `Value`, `ListValue`, `NullValue`, `FieldMask`), `()` for google.protobuf.Empty, or `i32`, `u32`, `i64`, `u64`, `f32`, `f64`, `bool`, `String`, `Vec<u8>` for the wrappers (Int32Value ...): these describe themselves",
    note = "a type of another crate that does not implement it cannot be given it here (Rust's orphan rule): wrap it in a message of your own that derives `hello::Describe`"
)]
pub trait Describe: 'static {
    /// The protobuf package, `hello`; empty when the type has none.
    const PACKAGE: &'static str;
    /// The name inside the package, `Point`; a nested type is written `Outer.Inner`.
    const NAME: &'static str;
    /// The `.proto` file the type is declared in, when it is a fixed one (`google/protobuf/timestamp.proto`);
    /// `None` (the default) puts it in its package's file, `hello.proto`.
    const FILE: Option<&'static str> = None;

    /// The type's descriptor. Types it refers to are named in full, with a leading dot (`.hello.Point`).
    fn descriptor() -> TypeDescriptor;

    /// Adds every type this one refers to (not itself) to `registry`, which recurses into theirs.
    fn register_dependencies(registry: &mut Registry);

    /// The type's rustdoc and its members', which become comments in the `.proto` text and `SourceCodeInfo` in
    /// the descriptors; none by default.
    fn docs() -> Docs {
        Docs::default()
    }

    /// The fully qualified name, `hello.Point`.
    fn full_name() -> String {
        full_name(Self::PACKAGE, Self::NAME)
    }

    /// Adds this type and what it reaches to `registry`: [`Registry::add`], spelled through the trait.
    fn add_to(registry: &mut Registry)
    where
        Self: Sized,
    {
        registry.add::<Self>();
    }
}

/// The package and name of a message from `prost::Name`, when `#[describe(package = ...)]` is absent.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no protobuf package: add #[describe(package = \"...\")] or implement prost::Name",
    label = "no #[describe(package = \"...\")] and no prost::Name"
)]
pub trait ProstName {
    /// The protobuf package.
    const PACKAGE: &'static str;
    /// The message's name in its package.
    const NAME: &'static str;
}

impl<T: prost::Name> ProstName for T {
    const PACKAGE: &'static str = <T as prost::Name>::PACKAGE;
    const NAME: &'static str = <T as prost::Name>::NAME;
}

/// The fields of a `prost::Oneof` enum, which the message holding it lays out as a `oneof`.
#[diagnostic::on_unimplemented(
    message = "the oneof `{Self}` does not describe its fields",
    label = "add #[derive(hello::Describe)] to `{Self}`"
)]
pub trait DescribeOneof: 'static {
    /// One field per variant, in declaration order; the message sets their `oneof_index`.
    fn fields() -> Vec<FieldDescriptorProto>;

    /// Adds the types the variants refer to.
    fn register_dependencies(registry: &mut Registry);

    /// Each variant's rustdoc, by the protobuf name of its field; none by default.
    fn docs() -> Vec<(String, String)> {
        Vec::new()
    }
}

/// The documentation of a described type: its own comment and its members', as rustdoc gives them (one line per
/// `///` line, the space after the slashes kept, as protoc keeps it after `//`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// The type's comment; empty when it has none.
    pub comment: String,
    /// Each member's comment by protobuf name: a message's fields (those of its oneofs too), an enum's values.
    pub members: Vec<(String, String)>,
}

impl Docs {
    /// The comment of the member named `name`, if it has one.
    pub fn member(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|(member, text)| member == name && !text.is_empty())
            .map(|(_, text)| text.as_str())
    }
}

/// The descriptor of a message or of an enum.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDescriptor {
    /// A `message`.
    Message(DescriptorProto),
    /// An `enum`.
    Enum(EnumDescriptorProto),
}

impl TypeDescriptor {
    /// The message's descriptor, if this is a message.
    pub fn as_message(&self) -> Option<&DescriptorProto> {
        match self {
            Self::Message(message) => Some(message),
            Self::Enum(_) => None,
        }
    }

    /// The enum's descriptor, if this is an enum.
    pub fn as_enum(&self) -> Option<&EnumDescriptorProto> {
        match self {
            Self::Message(_) => None,
            Self::Enum(enumeration) => Some(enumeration),
        }
    }
}

/// `package.name`, or `name` alone when there is no package.
pub(crate) fn full_name(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_owned()
    } else {
        format!("{package}.{name}")
    }
}

/// A message type that describes itself, as a service method refers to its input or output.
///
/// Made in constant context (`MessageRef::of::<Point>()`), so it can sit in a service's `'static` metadata.
#[derive(Clone, Copy)]
pub struct MessageRef {
    package: &'static str,
    name: &'static str,
    register: fn(&mut Registry),
}

impl MessageRef {
    /// The handle of `T`.
    pub const fn of<T: Describe>() -> Self {
        Self {
            package: T::PACKAGE,
            name: T::NAME,
            register: register::<T>,
        }
    }

    /// The protobuf package, `hello`.
    pub const fn package(&self) -> &'static str {
        self.package
    }

    /// The name inside the package, `Point`.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The fully qualified name, `hello.Point`.
    pub fn full_name(&self) -> String {
        full_name(self.package, self.name)
    }

    /// Adds the message and every type it reaches to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        (self.register)(registry);
    }
}

fn register<T: Describe>(registry: &mut Registry) {
    registry.add::<T>();
}

// Two handles are the same message when they name the same message: comparing the function pointers
// would depend on codegen units.
impl PartialEq for MessageRef {
    fn eq(&self, other: &Self) -> bool {
        self.package == other.package && self.name == other.name
    }
}

impl Eq for MessageRef {}

impl std::hash::Hash for MessageRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.package.hash(state);
        self.name.hash(state);
    }
}

impl fmt::Debug for MessageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageRef({})", self.full_name())
    }
}

/// Picks, at compile time, whether a type describes itself, without requiring it to.
///
/// The service macro emits `{ use NotDescribed as _; Probe::<M>::MESSAGE }`: the inherent constant exists only
/// when `M: Describe` and then wins over the trait's; otherwise the trait's `None` is used. This keeps
/// `Describe` optional for the users of the service macro.
pub struct Probe<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: Describe> Probe<T> {
    /// `T` describes itself.
    pub const MESSAGE: Option<MessageRef> = Some(MessageRef::of::<T>());
}

/// The fallback of [`Probe`]: a type that does not implement [`Describe`].
pub trait NotDescribed {
    /// No descriptor.
    const MESSAGE: Option<MessageRef> = None;
}

impl<T: ?Sized> NotDescribed for Probe<T> {}
