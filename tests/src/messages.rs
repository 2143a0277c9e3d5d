//! The demo's messages, made short: the one set of message helpers the tests share. A point is
//! `hello::demo::Point::new(latitude, longitude)`.

use hello::demo::{Point, Rectangle, RouteNote};

/// A note saying `text` at `at`.
pub fn note(at: Point, text: &str) -> RouteNote {
    RouteNote {
        location: Some(at),
        message: text.to_owned(),
    }
}

/// The rectangle with corners `lo` and `hi`, in any order.
pub fn rect(lo: Point, hi: Point) -> Rectangle {
    Rectangle {
        lo: Some(lo),
        hi: Some(hi),
    }
}
