//! How the client shows what it gets: lines for people, or one JSON object per message (`--json`).

use crate::demo::messages::{Feature, Point, RouteNote, RouteSummary};
use serde::Serialize;
use std::io::{self, Write};

/// Writes messages to standard output in the chosen form.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// One JSON object per line instead of text.
    pub json: bool,
}

// Serialized through serde so that f32 coordinates print as written (39.92), not widened to f64 digits.
#[derive(Serialize)]
struct PointJson {
    latitude: f32,
    longitude: f32,
}

#[derive(Serialize)]
struct FeatureJson<'a> {
    name: &'a str,
    location: Option<PointJson>,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    location: Option<PointJson>,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryJson {
    point_count: i32,
    feature_count: i32,
    distance: i32,
    elapsed_time: i32,
}

fn pj(p: &Option<Point>) -> Option<PointJson> {
    p.map(|p| PointJson {
        latitude: p.latitude,
        longitude: p.longitude,
    })
}

/// `(39.92, 116.46)`, or `(no location)`.
pub fn place(p: &Option<Point>) -> String {
    match p {
        Some(p) => format!("({}, {})", p.latitude, p.longitude),
        None => "(no location)".to_owned(),
    }
}

impl Printer {
    fn json_line(&self, value: &impl Serialize) -> io::Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, value)?;
        out.write_all(b"\n")
    }

    fn line(&self, text: &str) -> io::Result<()> {
        writeln!(io::stdout().lock(), "{text}")
    }

    /// A heading for people (nothing in JSON mode, where every line is a message).
    pub fn heading(&self, text: &str) -> io::Result<()> {
        if self.json { Ok(()) } else { self.line(text) }
    }

    /// A feature: its name and place, or that there is none.
    pub fn feature(&self, f: &Feature) -> io::Result<()> {
        if self.json {
            return self.json_line(&FeatureJson {
                name: &f.name,
                location: pj(&f.location),
            });
        }
        if f.name.is_empty() {
            self.line(&format!("no feature at {}", place(&f.location)))
        } else {
            self.line(&format!("{} at {}", f.name, place(&f.location)))
        }
    }

    /// A route's summary.
    pub fn summary(&self, s: &RouteSummary) -> io::Result<()> {
        if self.json {
            return self.json_line(&SummaryJson {
                point_count: s.point_count,
                feature_count: s.feature_count,
                distance: s.distance,
                elapsed_time: s.elapsed_time,
            });
        }
        self.line(&format!(
            "{} points, {} of them features, {} m, {} s",
            s.point_count, s.feature_count, s.distance, s.elapsed_time
        ))
    }

    /// A note and its place.
    pub fn note(&self, n: &RouteNote) -> io::Result<()> {
        if self.json {
            return self.json_line(&NoteJson {
                location: pj(&n.location),
                message: &n.message,
            });
        }
        self.line(&format!("{}: {}", place(&n.location), n.message))
    }
}
