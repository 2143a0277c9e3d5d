//! Encoding agreement (issue 3): for each message of `proto/hello.proto`, what our hand-written prost structs
//! encode decodes as a `prost-reflect` dynamic message of the protox descriptor with the same field values, and
//! a dynamic message with those values encodes to the same bytes, which our structs decode back.
//!
//! Values are compared field by field through the proto's names (a wrong name fails), floats by their bits so
//! that NaN equals itself. Edge cases are listed by hand; a property test adds many random values.

use hello::demo::{Feature, Point, Rectangle, RouteNote, RouteSummary};
use hello_tests::reference;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use prost::Message;
use prost_reflect::{
    DescriptorPool, DynamicMessage, Kind, MessageDescriptor, ReflectMessage, Value,
};
use std::fmt::Debug;
use std::sync::LazyLock;

static POOL: LazyLock<DescriptorPool> = LazyLock::new(reference::hello_pool);

/// A field's value as the wire carries it.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    /// By its bits: NaN equals itself, and every payload counts.
    Float(u32),
    Int32(i32),
    Str(String),
    /// `None`: absent; `Some`: present, possibly with every field at its default.
    Msg(Option<Fields>),
}

type Fields = Vec<(String, Field)>;

/// proto3 does not send a float equal to 0: prost (`!= 0.0`) and prost-reflect (`== default`) both leave out
/// -0.0 too, so it reads back as +0.0 on either side (pinned by `zero_values_are_omitted_by_both`).
fn float(x: f32) -> Field {
    Field::Float(if x == 0.0 { 0 } else { x.to_bits() })
}

/// One of our message structs, with its field values written out by hand under the proto's names.
trait Described: Message + Default + Debug + Sized {
    const NAME: &'static str;
    fn fields(&self) -> Fields;
}

fn fields(list: Vec<(&str, Field)>) -> Fields {
    list.into_iter().map(|(n, v)| (n.to_owned(), v)).collect()
}

fn nested<T: Described>(m: &Option<T>) -> Field {
    Field::Msg(m.as_ref().map(Described::fields))
}

impl Described for Point {
    const NAME: &'static str = "hello.Point";
    fn fields(&self) -> Fields {
        fields(vec![
            ("latitude", float(self.latitude)),
            ("longitude", float(self.longitude)),
        ])
    }
}

impl Described for Rectangle {
    const NAME: &'static str = "hello.Rectangle";
    fn fields(&self) -> Fields {
        fields(vec![("lo", nested(&self.lo)), ("hi", nested(&self.hi))])
    }
}

impl Described for Feature {
    const NAME: &'static str = "hello.Feature";
    fn fields(&self) -> Fields {
        fields(vec![
            ("name", Field::Str(self.name.clone())),
            ("location", nested(&self.location)),
        ])
    }
}

impl Described for RouteNote {
    const NAME: &'static str = "hello.RouteNote";
    fn fields(&self) -> Fields {
        fields(vec![
            ("location", nested(&self.location)),
            ("message", Field::Str(self.message.clone())),
        ])
    }
}

impl Described for RouteSummary {
    const NAME: &'static str = "hello.RouteSummary";
    fn fields(&self) -> Fields {
        fields(vec![
            ("point_count", Field::Int32(self.point_count)),
            ("feature_count", Field::Int32(self.feature_count)),
            ("distance", Field::Int32(self.distance)),
            ("elapsed_time", Field::Int32(self.elapsed_time)),
        ])
    }
}

fn descriptor(name: &str) -> MessageDescriptor {
    POOL.get_message_by_name(name)
        .unwrap_or_else(|| panic!("proto/hello.proto has no message {name}"))
}

/// The field values of a dynamic message, by field number.
fn dynamic_fields(m: &DynamicMessage) -> Fields {
    let mut descs: Vec<_> = m.descriptor().fields().collect();
    descs.sort_by_key(|f| f.number());
    descs
        .iter()
        .map(|f| {
            let value = match (f.kind(), m.get_field(f).into_owned()) {
                (Kind::Message(_), Value::Message(inner)) => {
                    Field::Msg(m.has_field(f).then(|| dynamic_fields(&inner)))
                }
                (_, Value::F32(x)) => float(x),
                (_, Value::I32(x)) => Field::Int32(x),
                (_, Value::String(s)) => Field::Str(s),
                (_, other) => panic!(
                    "{}: a kind hello.proto does not use: {other:?}",
                    f.full_name()
                ),
            };
            (f.name().to_owned(), value)
        })
        .collect()
}

/// A dynamic message of `desc` with these values set (absent messages left unset).
fn to_dynamic(desc: MessageDescriptor, values: &Fields) -> DynamicMessage {
    let mut m = DynamicMessage::new(desc.clone());
    for (name, value) in values {
        let f = desc
            .get_field_by_name(name)
            .unwrap_or_else(|| panic!("{} has no field {name}", desc.full_name()));
        let value = match (value, f.kind()) {
            (Field::Float(bits), _) => Value::F32(f32::from_bits(*bits)),
            (Field::Int32(x), _) => Value::I32(*x),
            (Field::Str(s), _) => Value::String(s.clone()),
            (Field::Msg(None), _) => continue,
            (Field::Msg(Some(inner)), Kind::Message(inner_desc)) => {
                Value::Message(to_dynamic(inner_desc, inner))
            }
            (Field::Msg(Some(_)), kind) => {
                panic!("{}: proto says {kind:?}, not a message", f.full_name())
            }
        };
        m.set_field(&f, value);
    }
    m
}

/// Both ways: prost struct -> bytes -> dynamic, and dynamic -> the same bytes -> prost struct.
fn agree<T: Described>(x: &T) {
    let want = x.fields();
    let ours = x.encode_to_vec();
    let decoded = DynamicMessage::decode(descriptor(T::NAME), ours.as_slice())
        .unwrap_or_else(|e| panic!("prost-reflect cannot decode our {x:?}: {e}"));
    assert_eq!(
        dynamic_fields(&decoded),
        want,
        "ours -> dynamic {}: {x:?}",
        T::NAME
    );

    let theirs = to_dynamic(descriptor(T::NAME), &want).encode_to_vec();
    assert_eq!(theirs, ours, "dynamic and prost encode {x:?} differently");
    let back = T::decode(theirs.as_slice())
        .unwrap_or_else(|e| panic!("we cannot decode {x:?} from dynamic: {e}"));
    assert_eq!(back.fields(), want, "dynamic -> ours {}: {x:?}", T::NAME);
}

/// Floats worth trying: zeros, extremes, subnormals, infinities, NaNs (quiet, signalling, negative, payload).
fn edge_floats() -> Vec<f32> {
    vec![
        0.0,
        -0.0,
        39.92,
        116.46,
        -90.0,
        -180.0,
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        f32::from_bits(1),           // the smallest subnormal
        f32::from_bits(0x8000_0001), // its negative
        f32::EPSILON,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7f80_0001), // a signalling NaN
        f32::from_bits(0x7fc1_2345), // a quiet NaN with a payload
    ]
}

fn edge_points() -> Vec<Point> {
    let floats = edge_floats();
    let mut points: Vec<Point> = floats.iter().map(|&x| Point::new(x, 0.0)).collect();
    points.extend(floats.iter().map(|&x| Point::new(0.0, x)));
    points.extend(
        floats
            .iter()
            .zip(floats.iter().rev())
            .map(|(&a, &b)| Point::new(a, b)),
    );
    points
}

fn edge_strings() -> Vec<String> {
    vec![
        String::new(),
        "北京".into(),
        "八达岭长城".into(),
        "a".into(),
        " ".into(),
        "\0".into(),
        "nul\0inside".into(),
        "🌏 emoji, e\u{301} combining, \u{10FFFF} last scalar, \u{FEFF} BOM".into(),
        "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}".into(), // UTF-8 length boundaries
        "x".repeat(70_000),                                   // a length needing a 3-byte varint
    ]
}

fn edge_options() -> Vec<Option<Point>> {
    vec![
        None,
        Some(Point::default()),
        Some(Point::new(-0.0, -0.0)),
        Some(Point::new(39.92, 116.46)),
        Some(Point::new(f32::NAN, f32::MIN)),
    ]
}

#[test]
fn points_agree() {
    for p in edge_points() {
        agree(&p);
    }
}

#[test]
fn rectangles_agree() {
    for lo in edge_options() {
        for hi in edge_options() {
            agree(&Rectangle { lo, hi });
        }
    }
}

#[test]
fn features_agree() {
    for name in edge_strings() {
        for location in edge_options() {
            agree(&Feature {
                name: name.clone(),
                location,
            });
        }
    }
}

#[test]
fn route_notes_agree() {
    for message in edge_strings() {
        for location in edge_options() {
            agree(&RouteNote {
                location,
                message: message.clone(),
            });
        }
    }
}

#[test]
fn route_summaries_agree() {
    let ints = [0, 1, -1, 127, 128, -128, 16_384, i32::MAX, i32::MIN];
    for (i, &a) in ints.iter().enumerate() {
        for &b in &ints {
            agree(&RouteSummary {
                point_count: a,
                feature_count: b,
                distance: ints[(i + 3) % ints.len()],
                elapsed_time: b.wrapping_neg(),
            });
        }
    }
}

#[test]
fn zero_values_are_omitted_by_both() {
    // proto3: a field at its default is not sent, by us or by the descriptor-driven encoder.
    fn empty<T: Described>(x: T) {
        assert!(
            x.encode_to_vec().is_empty(),
            "{x:?} is sent as {:?}",
            x.encode_to_vec()
        );
        let dynamic = to_dynamic(descriptor(T::NAME), &x.fields());
        assert!(dynamic.encode_to_vec().is_empty(), "dynamic {x:?}");
        let decoded = DynamicMessage::decode(descriptor(T::NAME), &[][..]).unwrap();
        assert!(
            decoded.fields().next().is_none(),
            "nothing is set when nothing is sent"
        );
    }
    empty(Point::default());
    empty(Point::new(-0.0, -0.0)); // both leave out negative zero (see `float`)
    empty(Rectangle::default());
    empty(Feature::default());
    empty(RouteNote::default());
    empty(RouteSummary::default());

    // A nested message present with every field at its default is sent, as an empty message, and seen as present.
    let rect = Rectangle {
        lo: Some(Point::default()),
        hi: None,
    };
    assert_eq!(rect.encode_to_vec(), [0x0a, 0x00]);
    let dynamic = DynamicMessage::decode(descriptor("hello.Rectangle"), &[0x0a, 0x00][..]).unwrap();
    assert!(dynamic.has_field_by_name("lo"));
    assert!(!dynamic.has_field_by_name("hi"));
    agree(&rect);
}

#[test]
fn unicode_is_the_same_text_on_both_sides() {
    let f = Feature {
        name: "北京".into(),
        location: Some(Point::new(39.92, 116.46)),
    };
    let decoded =
        DynamicMessage::decode(descriptor("hello.Feature"), f.encode_to_vec().as_slice()).unwrap();
    assert_eq!(
        decoded.get_field_by_name("name").unwrap().as_str(),
        Some("北京")
    );
    // The wire carries UTF-8: tag 1, length 6, then the bytes of 北京.
    assert_eq!(
        &f.encode_to_vec()[..8],
        [0x0a, 6, 0xe5, 0x8c, 0x97, 0xe4, 0xba, 0xac]
    );
}

fn any_point() -> impl Strategy<Value = Point> {
    // Every class of float: normal, subnormal, zeros, infinities, NaN.
    (any::<f32>(), any::<f32>()).prop_map(|(latitude, longitude)| Point {
        latitude,
        longitude,
    })
}

fn cases() -> ProptestConfig {
    // Enough to cover each field's classes; few enough for a quick CI run.
    ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn random_points_agree(p in any_point()) {
        agree(&p);
    }

    #[test]
    fn random_rectangles_agree(lo in proptest::option::of(any_point()), hi in proptest::option::of(any_point())) {
        agree(&Rectangle { lo, hi });
    }

    #[test]
    fn random_features_agree(name in any::<String>(), location in proptest::option::of(any_point())) {
        agree(&Feature { name, location });
    }

    #[test]
    fn random_route_notes_agree(location in proptest::option::of(any_point()), message in any::<String>()) {
        agree(&RouteNote { location, message });
    }

    #[test]
    fn random_route_summaries_agree(v in any::<[i32; 4]>()) {
        agree(&RouteSummary { point_count: v[0], feature_count: v[1], distance: v[2], elapsed_time: v[3] });
    }
}
