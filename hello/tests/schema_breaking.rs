//! The breaking-change gate as a library (issue 12): two FileDescriptorSets in, one finding per line out, each
//! naming the element, buf's rule ID and what changed; WIRE_JSON by default, WIRE and FILE on request.

use hello::breaking::{Category, RULES, breaking_changes};
use hello::prelude::*;

/// The schema as released.
pub mod v1 {
    use hello::prelude::*;

    #[derive(Clone, PartialEq, prost::Message, Describe)]
    #[describe(package = "geo.v1")]
    pub struct Point {
        #[prost(float, tag = "1")]
        pub latitude: f32,
        #[prost(float, tag = "2")]
        pub longitude: f32,
        #[prost(string, tag = "3")]
        pub label: String,
    }

    #[hello::service(package = "geo.v1")]
    pub trait Geo {
        async fn nearest(&self, request: Request<Point>) -> Result<Response<Point>, Status>;
    }
}

/// The schema now: latitude became a double, label was renamed, a field was added, a method streams.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "geo.v1")]
pub struct Point {
    #[prost(double, tag = "1")]
    pub latitude: f64,
    #[prost(float, tag = "2")]
    pub longitude: f32,
    #[prost(string, tag = "3")]
    pub name: String,
    #[prost(float, tag = "4")]
    pub altitude: f32,
}

#[hello::service(package = "geo.v1")]
pub trait Geo {
    async fn nearest(
        &self,
        request: Request<Point>,
    ) -> Result<Response<impl Stream<Item = Result<Point, Status>>>, Status>;
}

fn lines(category: Category) -> Vec<String> {
    let old = v1::GEO_SERVICE.file_descriptor_set().unwrap();
    let new = GEO_SERVICE.file_descriptor_set().unwrap();
    breaking_changes(&old, &new, category)
        .findings()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn wire_json_names_the_element_the_rule_and_the_change() {
    assert_eq!(Category::default(), Category::WireJson);
    assert_eq!(
        lines(Category::WireJson),
        [
            "geo.v1.Geo.Nearest: RPC_SAME_SERVER_STREAMING: changed from server unary to server streaming",
            "geo.v1.Point.label: FIELD_SAME_JSON_NAME: json_name changed from \"label\" to \"name\"",
            "geo.v1.Point.label: FIELD_SAME_NAME: name changed from \"label\" to \"name\"",
            "geo.v1.Point.latitude: FIELD_WIRE_JSON_COMPATIBLE_TYPE: type changed from float to double",
        ]
    );
}

#[test]
fn wire_ignores_names_and_file_wants_the_same_types() {
    assert_eq!(
        lines(Category::Wire),
        [
            "geo.v1.Geo.Nearest: RPC_SAME_SERVER_STREAMING: changed from server unary to server streaming",
            "geo.v1.Point.latitude: FIELD_WIRE_COMPATIBLE_TYPE: type changed from float to double",
        ]
    );
    let file = lines(Category::File);
    assert!(
        file.contains(
            &"geo.v1.Point.latitude: FIELD_SAME_TYPE: type changed from float to double".to_owned()
        ),
        "{file:#?}"
    );
    assert_eq!(file.len(), 4, "{file:#?}");
}

#[test]
fn a_schema_is_compatible_with_itself_in_every_category() {
    let set = GEO_SERVICE.file_descriptor_set().unwrap();
    for category in Category::ALL {
        let changes = breaking_changes(&set, &set, category);
        assert!(changes.is_empty(), "{category}: {changes}");
    }
}

#[test]
fn categories_parse_by_bufs_names_and_every_rule_has_one() {
    for category in Category::ALL {
        assert_eq!(category.as_str().parse::<Category>(), Ok(category));
    }
    assert!("PACKAGE".parse::<Category>().is_err());
    assert!(RULES.iter().all(|r| !r.categories.is_empty()));
    let count = |c: Category| RULES.iter().filter(|r| r.categories.contains(&c)).count();
    // As `buf config ls-breaking-rules` lists them (buf 1.75), less the PACKAGE-only rules.
    assert_eq!(
        (
            count(Category::File),
            count(Category::WireJson),
            count(Category::Wire)
        ),
        (51, 22, 15)
    );
}
