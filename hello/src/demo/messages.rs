//! The messages of `proto/hello.proto`, written by hand: field for field and tag for tag.

/// A point on the globe, in degrees (`message Point`).
#[derive(Clone, Copy, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct Point {
    #[prost(float, tag = "1")]
    pub latitude: f32,
    #[prost(float, tag = "2")]
    pub longitude: f32,
}

impl Point {
    /// The point at `latitude`, `longitude` (degrees).
    pub const fn new(latitude: f32, longitude: f32) -> Self {
        Self {
            latitude,
            longitude,
        }
    }
}

/// A latitude-longitude rectangle given by two opposite corners, in either order (`message Rectangle`).
#[derive(Clone, Copy, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct Rectangle {
    #[prost(message, optional, tag = "1")]
    pub lo: Option<Point>,
    #[prost(message, optional, tag = "2")]
    pub hi: Option<Point>,
}

/// A named place (`message Feature`); an empty name means nothing is known there.
#[derive(Clone, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct Feature {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(message, optional, tag = "2")]
    pub location: Option<Point>,
}

/// A message posted at a location (`message RouteNote`).
#[derive(Clone, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct RouteNote {
    #[prost(message, optional, tag = "1")]
    pub location: Option<Point>,
    #[prost(string, tag = "2")]
    pub message: String,
}

/// What RecordRoute learned of a route (`message RouteSummary`).
#[derive(Clone, Copy, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct RouteSummary {
    #[prost(int32, tag = "1")]
    pub point_count: i32,
    #[prost(int32, tag = "2")]
    pub feature_count: i32,
    #[prost(int32, tag = "3")]
    pub distance: i32,
    #[prost(int32, tag = "4")]
    pub elapsed_time: i32,
}
