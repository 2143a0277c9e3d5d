//! What each benchmark call sends, and the feature databases the ListFeatures runs are served from.
//!
//! Every peer gets the same request bytes. Message counts ("messages/s"): ListFeatures counts the features
//! received, RecordRoute the points sent, RouteChat the notes received (the servers are run so that each note
//! sent is answered by exactly one note), GetFeature one per call.

use crate::wire;
use bytes::Bytes;
use hello::demo::{Feature, Point, Rectangle, RouteNote};
use serde::{Deserialize, Serialize};

/// The four kinds of call of `hello.Hello`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// GetFeature: one point in, one feature out
    Unary,
    /// ListFeatures: one rectangle in, N features out
    List,
    /// RecordRoute: N points in, one summary out
    Record,
    /// RouteChat: N notes in, N notes out
    Chat,
}

impl Kind {
    pub fn method(self) -> &'static str {
        match self {
            Kind::Unary => "GetFeature",
            Kind::List => "ListFeatures",
            Kind::Record => "RecordRoute",
            Kind::Chat => "RouteChat",
        }
    }

    pub fn path(self) -> String {
        format!(
            "/{}/{}",
            hello::demo::hello_server::SERVICE_NAME,
            self.method()
        )
    }

    /// The name of a workload in tables: the method and, for streams, the messages per call.
    pub fn label(self, n: usize) -> String {
        match self {
            Kind::Unary => "GetFeature".to_owned(),
            _ => format!("{} {}", self.method(), thousands(n)),
        }
    }
}

/// `100000` as `100k`, `1000000` as `1M`: short labels for message counts.
pub fn thousands(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// GetFeature asks for Beijing, a hit in the embedded database (the seed's Python server names it too).
pub const UNARY_POINT: Point = Point {
    latitude: 39.92,
    longitude: 116.46,
};

/// Where every RouteChat note is posted: with `--notes-per-location 1`, each note is answered by the one before.
pub const CHAT_POINT: Point = Point {
    latitude: 31.23,
    longitude: 121.47,
};

const GRID_STEP: f32 = 0.001;
const GRID_ROW: usize = 1000;
const GRID_ORIGIN: Point = Point {
    latitude: 10.0,
    longitude: 100.0,
};

/// `n` small features on a grid (names `f0`, `f1`, ...; 0.001 degrees apart, far beyond the lookup tolerance).
/// A database of exactly these makes ListFeatures of [`rectangle`] return all `n`, and scan only them.
pub fn features(n: usize) -> Vec<Feature> {
    (0..n)
        .map(|i| Feature {
            name: format!("f{i}"),
            location: Some(Point {
                latitude: GRID_ORIGIN.latitude + (i / GRID_ROW) as f32 * GRID_STEP,
                longitude: GRID_ORIGIN.longitude + (i % GRID_ROW) as f32 * GRID_STEP,
            }),
        })
        .collect()
}

/// A rectangle around all of `features(n)`.
pub fn rectangle(n: usize) -> Rectangle {
    let rows = n.div_ceil(GRID_ROW) as f32;
    Rectangle {
        lo: Some(Point {
            latitude: GRID_ORIGIN.latitude - 0.01,
            longitude: GRID_ORIGIN.longitude - 0.01,
        }),
        hi: Some(Point {
            latitude: GRID_ORIGIN.latitude + rows * GRID_STEP + 0.01,
            longitude: GRID_ORIGIN.longitude + GRID_ROW as f32 * GRID_STEP + 0.01,
        }),
    }
}

/// `features(n)` as the JSON file `hello-server --features` reads.
pub fn features_json(n: usize) -> String {
    let entries: Vec<serde_json::Value> = features(n)
        .into_iter()
        .map(|f| {
            let at = f.location.unwrap_or_default();
            serde_json::json!({ "name": f.name, "latitude": at.latitude, "longitude": at.longitude })
        })
        .collect();
    serde_json::Value::Array(entries).to_string()
}

/// The points of a RecordRoute call: a walk north from Beijing, 0.001 degrees a step.
pub fn route(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point {
            latitude: UNARY_POINT.latitude + (i % 10_000) as f32 * 0.001,
            longitude: UNARY_POINT.longitude,
        })
        .collect()
}

/// The notes of a RouteChat call: all at [`CHAT_POINT`], short texts.
pub fn notes(n: usize) -> Vec<RouteNote> {
    (0..n)
        .map(|i| RouteNote {
            location: Some(CHAT_POINT),
            message: format!("n{}", i % 100),
        })
        .collect()
}

/// The request body of one call: framed messages, the same bytes for every peer.
pub fn request_body(kind: Kind, n: usize) -> Bytes {
    match kind {
        Kind::Unary => wire::frame(&UNARY_POINT),
        Kind::List => wire::frame(&rectangle(n)),
        Kind::Record => wire::frames(&route(n)),
        Kind::Chat => wire::frames(&notes(n)),
    }
}

/// How many response messages a successful call brings back, at least (the first RouteChat call ever is
/// answered one note short: nothing was posted before its first note).
pub fn expected_responses(kind: Kind, n: usize) -> (u64, u64) {
    match kind {
        Kind::Unary | Kind::Record => (1, 1),
        Kind::List => (n as u64, n as u64),
        Kind::Chat => ((n as u64).saturating_sub(1), n as u64),
    }
}

/// The streamed messages one successful call counts for (see the module's note).
pub fn messages_per_call(kind: Kind, n: usize, received: u64) -> u64 {
    match kind {
        Kind::Unary => 1,
        Kind::Record => n as u64,
        Kind::List | Kind::Chat => received,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hello::demo::features::FeatureDb;
    use hello::demo::geo::Bounds;

    #[test]
    fn the_rectangle_holds_every_grid_feature_and_the_db_loads() {
        for n in [1, 10, 999, 1000, 1001, 25_000] {
            let fs = features(n);
            let r = rectangle(n);
            let b = Bounds::from_corners(&r.lo.unwrap(), &r.hi.unwrap());
            assert!(fs.iter().all(|f| b.contains(&f.location.unwrap())), "{n}");
            let db = FeatureDb::from_json(&features_json(n), "test").unwrap();
            assert_eq!(db.len(), n);
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Kind::List.label(100_000), "ListFeatures 100k");
        assert_eq!(Kind::Unary.label(7), "GetFeature");
        assert_eq!(thousands(1234), "1234");
        assert_eq!(Kind::Chat.path(), "/hello.Hello/RouteChat");
    }
}
