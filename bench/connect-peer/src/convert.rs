//! Between connect-rust's buffa messages and the demo's own structs, so the handlers share the demo's
//! database, route statistics and note store with the other peers. A conversion copies what prost's decoding
//! would have copied anyway (a string per message), no more.

use crate::proto::hello as pb;
use buffa::MessageField;
use hello::demo::{Feature, Point, RouteNote};
use hello::prelude::Status;
use tonic::Code;

pub fn point(view: &pb::PointView<'_>) -> Point {
    Point::new(view.latitude, view.longitude)
}

pub fn point_field(field: &buffa::MessageFieldView<pb::PointView<'_>>) -> Option<Point> {
    field.as_option().map(point)
}

fn pb_point(p: Point) -> MessageField<pb::Point, buffa::Inline<pb::Point>> {
    MessageField::some(pb::Point {
        latitude: p.latitude,
        longitude: p.longitude,
        ..Default::default()
    })
}

/// A feature the database lent: its name is copied, as the demo's handler copies it.
pub fn pb_feature(f: &Feature) -> pb::Feature {
    pb_feature_owned(f.clone())
}

/// A feature already copied out of the database (as ListFeatures' iterator yields them): moved, not copied.
pub fn pb_feature_owned(f: Feature) -> pb::Feature {
    pb::Feature {
        name: f.name,
        location: f.location.map(pb_point).unwrap_or_default(),
        ..Default::default()
    }
}

pub fn note(view: &pb::RouteNoteView<'_>) -> RouteNote {
    RouteNote {
        location: point_field(&view.location),
        message: view.message.to_owned(),
    }
}

pub fn pb_note(n: RouteNote) -> pb::RouteNote {
    pb::RouteNote {
        location: n.location.map(pb_point).unwrap_or_default(),
        message: n.message,
        ..Default::default()
    }
}

/// The demo's status as connect-rust's error: same code, same message.
pub fn error(status: Status) -> connectrpc::ConnectError {
    let code = match status.code() {
        Code::InvalidArgument => connectrpc::error::ErrorCode::InvalidArgument,
        Code::NotFound => connectrpc::error::ErrorCode::NotFound,
        Code::ResourceExhausted => connectrpc::error::ErrorCode::ResourceExhausted,
        Code::Cancelled => connectrpc::error::ErrorCode::Canceled,
        _ => connectrpc::error::ErrorCode::Internal,
    };
    connectrpc::ConnectError::new(code, status.message())
}

/// connect-rust's error as a status, for the demo's stream adapters.
pub fn status(e: connectrpc::ConnectError) -> Status {
    Status::internal(e.to_string())
}
