//! The messages of `proto/hello.proto`, written by hand: field for field and tag for tag.

/// A point on the globe, in degrees (`message Point`).
#[derive(Clone, Copy, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct Point {
    /// Degrees north, in [-90, 90].
    #[prost(float, tag = "1")]
    pub latitude: f32,
    /// Degrees east, in [-180, 180].
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
    /// One corner.
    #[prost(message, optional, tag = "1")]
    pub lo: Option<Point>,
    /// The opposite corner.
    #[prost(message, optional, tag = "2")]
    pub hi: Option<Point>,
}

/// A named place (`message Feature`); an empty name means nothing is known there.
#[derive(Clone, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct Feature {
    /// What the place is called; empty when nothing is known there.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Where it is.
    #[prost(message, optional, tag = "2")]
    pub location: Option<Point>,
}

/// A message posted at a location (`message RouteNote`).
#[derive(Clone, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct RouteNote {
    /// Where the note is posted.
    #[prost(message, optional, tag = "1")]
    pub location: Option<Point>,
    /// The note's text.
    #[prost(string, tag = "2")]
    pub message: String,
}

/// What RecordRoute learned of a route (`message RouteSummary`).
#[derive(Clone, Copy, PartialEq, prost::Message, crate::Describe)]
#[describe(package = "hello")]
pub struct RouteSummary {
    /// How many points were received.
    #[prost(int32, tag = "1")]
    pub point_count: i32,
    /// How many of them are known features.
    #[prost(int32, tag = "2")]
    pub feature_count: i32,
    /// The great-circle distance along the route, in whole metres.
    #[prost(int32, tag = "3")]
    pub distance: i32,
    /// Whole seconds from the first point received to the last.
    #[prost(int32, tag = "4")]
    pub elapsed_time: i32,
}
