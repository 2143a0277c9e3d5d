//! Geometry on the globe: checking points, comparing them, distances, rectangles.
//!
//! Coordinates are `f32` degrees, as on the wire. Two points are "the same place" when both coordinates differ by
//! at most [`TOLERANCE_DEG`] (about 11 m at the equator), because a float written as `39.92` by one program and
//! read back by another may differ in its last bits.

use crate::demo::messages::Point;
use std::fmt;

/// How far apart, in degrees, two coordinates may be and still name the same place.
pub const TOLERANCE_DEG: f32 = 1e-4;

/// Mean radius of the Earth in metres (IUGG), as used by the haversine formula.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Why a point is not a place on the globe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PointError {
    /// NaN or an infinity.
    NotFinite {
        /// The coordinate at fault.
        what: Coord,
        /// Its value.
        value: f32,
    },
    /// Latitude outside [-90, 90] or longitude outside [-180, 180].
    OutOfRange {
        /// The coordinate at fault.
        what: Coord,
        /// Its value.
        value: f32,
    },
}

/// Which coordinate a [`PointError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coord {
    /// Degrees north.
    Latitude,
    /// Degrees east.
    Longitude,
}

impl Coord {
    fn bound(self) -> f32 {
        match self {
            Coord::Latitude => 90.0,
            Coord::Longitude => 180.0,
        }
    }
}

impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Coord::Latitude => "latitude",
            Coord::Longitude => "longitude",
        })
    }
}

impl fmt::Display for PointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PointError::NotFinite { what, value } => {
                write!(f, "{what} is {value}, not a finite number")
            }
            PointError::OutOfRange { what, value } => {
                let b = what.bound();
                write!(f, "{what} {value} is outside [-{b}, {b}]")
            }
        }
    }
}

impl std::error::Error for PointError {}

fn check(what: Coord, value: f32) -> Result<(), PointError> {
    if !value.is_finite() {
        return Err(PointError::NotFinite { what, value });
    }
    if value.abs() > what.bound() {
        return Err(PointError::OutOfRange { what, value });
    }
    Ok(())
}

/// Checks that a point is on the globe: finite, latitude in [-90, 90], longitude in [-180, 180].
pub fn validate(p: &Point) -> Result<(), PointError> {
    check(Coord::Latitude, p.latitude)?;
    check(Coord::Longitude, p.longitude)
}

/// Whether two points name the same place, within [`TOLERANCE_DEG`] on each coordinate.
pub fn same_place(a: &Point, b: &Point) -> bool {
    (a.latitude - b.latitude).abs() <= TOLERANCE_DEG
        && (a.longitude - b.longitude).abs() <= TOLERANCE_DEG
}

/// Great-circle distance in metres between two points (haversine, computed in `f64`).
pub fn distance_m(a: &Point, b: &Point) -> f64 {
    let (lat1, lat2) = (
        f64::from(a.latitude).to_radians(),
        f64::from(b.latitude).to_radians(),
    );
    let dlat = lat2 - lat1;
    let dlon = (f64::from(b.longitude) - f64::from(a.longitude)).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    // min(1.0) guards asin against rounding just above 1 for antipodal points.
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A cell of a grid of [`TOLERANCE_DEG`] squares: a hashable key for "about this place".
///
/// Two points within the tolerance of each other fall in the same cell or in neighbouring cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GridKey {
    lat: i32,
    lon: i32,
}

impl GridKey {
    /// The cell of a point; the point should be valid (see [`validate`]), else the key is meaningless but safe.
    pub fn of(p: &Point) -> GridKey {
        // `as` saturates for out-of-range floats and maps NaN to 0: no panic whatever the input.
        let cell = |v: f32| (f64::from(v) / f64::from(TOLERANCE_DEG)).round() as i32;
        GridKey {
            lat: cell(p.latitude),
            lon: cell(p.longitude),
        }
    }

    /// This cell and its eight neighbours.
    pub fn around(self) -> impl Iterator<Item = GridKey> {
        (-1..=1).flat_map(move |dl| {
            (-1..=1).map(move |dn| GridKey {
                lat: self.lat.saturating_add(dl),
                lon: self.lon.saturating_add(dn),
            })
        })
    }
}

/// A latitude-longitude box, normalised from two opposite corners given in any order.
///
/// It does not wrap around the antimeridian: a box from longitude 170 to -170 covers [-170, 170].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    lat_min: f32,
    lat_max: f32,
    lon_min: f32,
    lon_max: f32,
}

impl Bounds {
    /// The box with corners `a` and `b`, whichever is which.
    pub fn from_corners(a: &Point, b: &Point) -> Bounds {
        Bounds {
            lat_min: a.latitude.min(b.latitude),
            lat_max: a.latitude.max(b.latitude),
            lon_min: a.longitude.min(b.longitude),
            lon_max: a.longitude.max(b.longitude),
        }
    }

    /// Whether the point lies inside the box or on its edge.
    pub fn contains(&self, p: &Point) -> bool {
        (self.lat_min..=self.lat_max).contains(&p.latitude)
            && (self.lon_min..=self.lon_max).contains(&p.longitude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_accepts_the_globe_and_its_edges() {
        for p in [
            Point::new(0.0, 0.0),
            Point::new(90.0, 180.0),
            Point::new(-90.0, -180.0),
            Point::new(39.92, 116.46),
        ] {
            assert_eq!(validate(&p), Ok(()));
        }
    }

    #[test]
    fn validate_names_what_is_wrong() {
        let e = validate(&Point::new(f32::NAN, 0.0)).unwrap_err();
        assert_eq!(e.to_string(), "latitude is NaN, not a finite number");
        let e = validate(&Point::new(0.0, f32::INFINITY)).unwrap_err();
        assert_eq!(e.to_string(), "longitude is inf, not a finite number");
        let e = validate(&Point::new(90.5, 0.0)).unwrap_err();
        assert_eq!(e.to_string(), "latitude 90.5 is outside [-90, 90]");
        let e = validate(&Point::new(0.0, -180.25)).unwrap_err();
        assert_eq!(e.to_string(), "longitude -180.25 is outside [-180, 180]");
    }

    #[test]
    fn same_place_tolerates_float_noise_only() {
        let beijing = Point::new(39.92, 116.46);
        let from_f64 = Point::new(39.92_f64 as f32, 116.46_f64 as f32);
        assert!(same_place(&beijing, &from_f64));
        assert!(same_place(&beijing, &Point::new(39.92005, 116.45995)));
        assert!(!same_place(&beijing, &Point::new(39.921, 116.46)));
        assert!(!same_place(&beijing, &Point::new(39.92, 116.4598)));
    }

    #[test]
    fn distance_matches_known_figures() {
        assert_eq!(
            distance_m(&Point::new(10.0, 20.0), &Point::new(10.0, 20.0)),
            0.0
        );
        // One degree of latitude along a meridian: pi * R / 180.
        let one_deg = distance_m(&Point::new(0.0, 0.0), &Point::new(1.0, 0.0));
        assert!((one_deg - 111_195.08).abs() < 1.0, "{one_deg}");
        // Beijing to Shanghai is about 1,067 km as the crow flies.
        let d = distance_m(&Point::new(39.92, 116.46), &Point::new(31.23, 121.47));
        assert!((1_060_000.0..1_075_000.0).contains(&d), "{d}");
        // Antipodes: half the circumference, no NaN.
        let half = distance_m(&Point::new(0.0, 0.0), &Point::new(0.0, 180.0));
        assert!(
            (half - std::f64::consts::PI * EARTH_RADIUS_M).abs() < 1.0,
            "{half}"
        );
    }

    #[test]
    fn bounds_take_corners_in_any_order() {
        let (a, b) = (Point::new(31.0, 116.0), Point::new(40.0, 122.0));
        let inside = Point::new(35.0, 119.0);
        let outside = Point::new(35.0, 123.0);
        for (c1, c2) in [
            (a, b),
            (b, a),
            (Point::new(31.0, 122.0), Point::new(40.0, 116.0)),
            (Point::new(40.0, 116.0), Point::new(31.0, 122.0)),
        ] {
            let r = Bounds::from_corners(&c1, &c2);
            assert!(r.contains(&inside));
            assert!(!r.contains(&outside));
            assert!(r.contains(&a) && r.contains(&b), "edges are inside");
        }
    }

    #[test]
    fn grid_neighbours_cover_the_tolerance() {
        let p = Point::new(39.92, 116.46);
        let q = Point::new(39.92 + 0.9 * TOLERANCE_DEG, 116.46 - 0.9 * TOLERANCE_DEG);
        assert!(same_place(&p, &q));
        assert!(GridKey::of(&p).around().any(|k| k == GridKey::of(&q)));
        assert_eq!(GridKey::of(&p).around().count(), 9);
        // Garbage input gives a key, not a panic.
        let _ = GridKey::of(&Point::new(f32::NAN, f32::INFINITY));
    }
}
