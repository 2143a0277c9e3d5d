//! Rustdoc becomes comments (issue 12): a type's `Describe::docs` gives leading comments in the `.proto` text and
//! `SourceCodeInfo` in the descriptors, the spans pointing into that very text: protox, compiling the emitted text
//! with source info, finds the same comments at the same places.

use hello::__private::{Cardinality, EnumBuilder, FieldType, MessageBuilder};
use hello::{Describe, Docs, Registry, TypeDescriptor, to_proto_texts};
use prost_types::FileDescriptorSet;

/// Written by hand as the derive writes it, with docs.
struct Point;

impl Describe for Point {
    const PACKAGE: &'static str = "geo.v1";
    const NAME: &'static str = "Point";

    fn descriptor() -> TypeDescriptor {
        let mut message = MessageBuilder::new("geo.v1", "Point");
        message.field("latitude", 1, FieldType::Float, Cardinality::Singular);
        message.field("longitude", 2, FieldType::Float, Cardinality::Singular);
        message.field(
            "kind",
            3,
            FieldType::Enum("geo.v1.Kind".into()),
            Cardinality::Singular,
        );
        message.finish()
    }

    fn register_dependencies(registry: &mut Registry) {
        registry.add::<Kind>();
    }

    fn docs() -> Docs {
        Docs {
            comment: " A point on the globe.\n In degrees.".into(),
            members: vec![
                ("latitude".into(), " Degrees north.".into()),
                ("kind".into(), " What is there.".into()),
            ],
        }
    }
}

struct Kind;

impl Describe for Kind {
    const PACKAGE: &'static str = "geo.v1";
    const NAME: &'static str = "Kind";

    fn descriptor() -> TypeDescriptor {
        let mut enumeration = EnumBuilder::new("Kind");
        enumeration.value("KIND_UNSPECIFIED", 0);
        enumeration.value("KIND_CITY", 1);
        enumeration.finish()
    }

    fn register_dependencies(_: &mut Registry) {}

    fn docs() -> Docs {
        Docs {
            comment: " Kinds of places.".into(),
            members: vec![("KIND_CITY".into(), " A city.".into())],
        }
    }
}

fn set() -> FileDescriptorSet {
    Registry::new()
        .include_source_info(true)
        .add::<Point>()
        .build()
        .unwrap()
}

#[test]
fn comments_lead_each_element_in_the_proto_text() {
    let texts = to_proto_texts(&set());
    assert_eq!(
        texts[0].1,
        "syntax = \"proto3\";\n\npackage geo.v1;\n\n\
         // A point on the globe.\n// In degrees.\nmessage Point {\n  // Degrees north.\n  float latitude = 1;\n  \
         float longitude = 2;\n  // What is there.\n  Kind kind = 3;\n}\n\n\
         // Kinds of places.\nenum Kind {\n  KIND_UNSPECIFIED = 0;\n  // A city.\n  KIND_CITY = 1;\n}\n"
    );
}

#[test]
fn source_code_info_equals_what_protox_finds_in_the_text() {
    let set = set();
    let ours = set.file[0].source_code_info.clone().expect("comments");
    let texts = to_proto_texts(&set);
    let mut compiler = protox::Compiler::with_file_resolver(InMemory(texts[0].clone()));
    compiler.include_source_info(true);
    compiler.open_file(&texts[0].0).unwrap();
    let theirs = compiler
        .file_descriptor_set()
        .file
        .remove(0)
        .source_code_info
        .unwrap();
    assert_eq!(ours.location.len(), 5, "{ours:#?}");
    for location in &ours.location {
        let found = theirs
            .location
            .iter()
            .find(|l| l.path == location.path)
            .unwrap_or_else(|| panic!("protox has no location {:?}", location.path));
        assert_eq!(
            found.leading_comments, location.leading_comments,
            "{:?}",
            location.path
        );
        assert_eq!(found.span, location.span, "span of {:?}", location.path);
    }
}

#[test]
fn undocumented_types_carry_no_source_code_info() {
    struct Bare;
    impl Describe for Bare {
        const PACKAGE: &'static str = "bare";
        const NAME: &'static str = "Bare";
        fn descriptor() -> TypeDescriptor {
            MessageBuilder::new("bare", "Bare").finish()
        }
        fn register_dependencies(_: &mut Registry) {}
    }
    let set = Registry::new()
        .include_source_info(true)
        .add::<Bare>()
        .build()
        .unwrap();
    assert_eq!(set.file[0].source_code_info, None);
    // And documented ones none unless asked, as protoc without --include_source_info.
    let set = Registry::new().add::<Point>().build().unwrap();
    assert_eq!(set.file[0].source_code_info, None);
    assert!(!to_proto_texts(&set)[0].1.contains("//"));
}

struct InMemory((String, String));

impl protox::file::FileResolver for InMemory {
    fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
        if name == self.0.0 {
            protox::file::File::from_source(name, &self.0.1)
        } else {
            Err(protox::Error::file_not_found(name))
        }
    }
}

/// What the derive gives: rustdoc and `#[describe(reserved(...))]`, in the text and back through protox.
pub mod derived {
    use hello::prelude::*;

    /// A parcel.
    /// Two lines of it.
    #[derive(Clone, PartialEq, prost::Message, Describe)]
    #[describe(package = "post.v1", reserved(2, 5..=7, "weight"))]
    pub struct Parcel {
        /// Where it goes.
        #[prost(string, tag = "1")]
        pub to: String,
        #[prost(enumeration = "Speed", tag = "3")]
        pub speed: i32,
    }

    /// How fast.
    #[derive(
        Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe,
    )]
    #[repr(i32)]
    #[describe(package = "post.v1", reserved(9, "SPEED_SNAIL"))]
    pub enum Speed {
        Unspecified = 0,
        /// Next day.
        Express = 1,
    }

    /// The post office.
    #[hello::service(package = "post.v1")]
    pub trait Post {
        /// Sends a parcel.
        async fn send(&self, request: Request<Parcel>) -> Result<Response<()>, Status>;
    }
}

#[test]
fn derived_docs_and_reserved_reach_the_text_and_compile_back() {
    let set = derived::POST_SERVICE
        .file_descriptor_set_with_source_info()
        .unwrap();
    let texts = to_proto_texts(&set);
    let text = &texts[0].1;
    for expected in [
        "// The post office.\nservice Post {\n  // Sends a parcel.\n  rpc Send(Parcel) returns (google.protobuf.Empty) {}\n}",
        "// A parcel.\n// Two lines of it.\nmessage Parcel {\n  // Where it goes.\n  string to = 1;\n  Speed speed = 3;\n  reserved 2, 5 to 7;\n  reserved \"weight\";\n}",
        "// How fast.\nenum Speed {\n  UNSPECIFIED = 0;\n  // Next day.\n  EXPRESS = 1;\n  reserved 9;\n  reserved \"SPEED_SNAIL\";\n}",
    ] {
        assert!(text.contains(expected), "{expected}\nnot in:\n{text}");
    }
    // protox reads the same schema back, reserved ranges included; only the source info is ours alone.
    let mut resolver = protox::file::ChainFileResolver::new();
    resolver.add(InMemory(texts[0].clone()));
    resolver.add(protox::file::GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    compiler.open_file(&texts[0].0).unwrap();
    let mut expected = set.clone();
    for file in &mut expected.file {
        file.source_code_info = None;
    }
    assert_eq!(compiler.file_descriptor_set(), expected);
}
