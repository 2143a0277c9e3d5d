//! The feature database: named places, loaded from JSON, looked up by point and listed by rectangle.
//!
//! The file is a JSON array of `{ "name": "北京", "latitude": 39.92, "longitude": 116.46 }`; the default one,
//! `hello/data/features.json` (cities and landmarks of China), is embedded in the binary.

use crate::demo::geo::{self, Bounds, GridKey};
use crate::demo::messages::{Feature, Point};
use crate::prepared::Prepared;
use serde::{Deserialize, Deserializer, de};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded default database.
pub const DEFAULT_JSON: &str = include_str!("../../data/features.json");

/// A set of named places, immutable once loaded; share it with [`Arc`].
#[derive(Debug, Clone, Default)]
pub struct FeatureDb {
    features: Vec<Feature>,
    /// `features`, each encoded once: ListFeatures sends these bytes rather than encoding each feature per call.
    prepared: Vec<Prepared<Feature>>,
    /// `features`' locations side by side: ListFeatures scans these, not the whole features.
    locations: Vec<Option<Point>>,
    /// Grid cell -> indices into `features`: GetFeature looks at 9 cells instead of every feature.
    index: HashMap<GridKey, Vec<usize>>,
}

/// Why a feature file could not be loaded. The message names the file and where in it the problem is.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What reading it gave.
        source: std::io::Error,
    },
    /// Not valid JSON, or an entry has a wrong or missing field; serde_json gives the line and column.
    Json {
        /// The file's name, or what the text came from.
        origin: String,
        /// What is wrong, with its line and column.
        source: serde_json::Error,
    },
    /// Two entries at the same place, so GetFeature could not say which one is meant.
    Duplicate {
        /// The file's name, or what the text came from.
        origin: String,
        /// The earlier entry: its index and name.
        first: (usize, String),
        /// The later entry at the same place: its index and name.
        second: (usize, String),
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => {
                write!(f, "cannot read feature file {}: {source}", path.display())
            }
            LoadError::Json { origin, source } => write!(f, "bad feature file {origin}: {source}"),
            LoadError::Duplicate {
                origin,
                first,
                second,
            } => write!(
                f,
                "bad feature file {origin}: entry {} ({:?}) is at the same place as entry {} ({:?})",
                second.0, second.1, first.0, first.1
            ),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { source, .. } => Some(source),
            LoadError::Json { source, .. } => Some(source),
            LoadError::Duplicate { .. } => None,
        }
    }
}

/// One entry of the file. Each field is checked while it is parsed, so a bad value is reported with its line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(deserialize_with = "name")]
    name: String,
    #[serde(deserialize_with = "latitude")]
    latitude: f32,
    #[serde(deserialize_with = "longitude")]
    longitude: f32,
}

fn name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        // An empty name is what GetFeature answers for "nothing here": it cannot name a feature.
        return Err(de::Error::custom("name is empty"));
    }
    Ok(s)
}

fn coordinate<'de, D: Deserializer<'de>>(d: D, what: geo::Coord) -> Result<f32, D::Error> {
    let v = f64::deserialize(d)? as f32;
    let p = match what {
        geo::Coord::Latitude => Point {
            latitude: v,
            longitude: 0.0,
        },
        geo::Coord::Longitude => Point {
            latitude: 0.0,
            longitude: v,
        },
    };
    geo::validate(&p).map_err(de::Error::custom)?;
    Ok(v)
}

fn latitude<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    coordinate(d, geo::Coord::Latitude)
}

fn longitude<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    coordinate(d, geo::Coord::Longitude)
}

impl FeatureDb {
    /// The embedded default database.
    pub fn default_db() -> FeatureDb {
        // The embedded file is checked by a unit test, so this cannot fail in a build that passed its tests;
        // should it ever, an empty database is still a working server.
        FeatureDb::from_json(DEFAULT_JSON, "(embedded)").unwrap_or_default()
    }

    /// Reads and checks a feature file.
    pub fn load(path: &Path) -> Result<FeatureDb, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        FeatureDb::from_json(&text, &path.display().to_string())
    }

    /// Parses and checks a feature database; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<FeatureDb, LoadError> {
        let entries: Vec<Entry> = serde_json::from_str(text).map_err(|source| LoadError::Json {
            origin: origin.to_owned(),
            source,
        })?;
        let features = entries
            .into_iter()
            .map(|e| Feature {
                name: e.name,
                location: Some(Point {
                    latitude: e.latitude,
                    longitude: e.longitude,
                }),
            })
            .collect();
        FeatureDb::from_features(features).map_err(|(first, second)| LoadError::Duplicate {
            origin: origin.to_owned(),
            first,
            second,
        })
    }

    /// Builds a database from features that are known to be valid (every one has a valid location).
    ///
    /// Fails with the (index, name) of the first two entries at the same place.
    #[allow(clippy::type_complexity)]
    pub fn from_features(
        features: Vec<Feature>,
    ) -> Result<FeatureDb, ((usize, String), (usize, String))> {
        let mut db = FeatureDb {
            features: Vec::new(),
            prepared: Vec::new(),
            locations: Vec::new(),
            index: HashMap::new(),
        };
        for (i, f) in features.into_iter().enumerate() {
            let at = f.location.unwrap_or_default();
            if let Some(j) = db.position(&at) {
                return Err(((j, db.features[j].name.clone()), (i, f.name)));
            }
            db.index.entry(GridKey::of(&at)).or_default().push(i);
            db.prepared.push(Prepared::new(&f));
            db.locations.push(f.location);
            db.features.push(f);
        }
        Ok(db)
    }

    fn position(&self, p: &Point) -> Option<usize> {
        GridKey::of(p)
            .around()
            .filter_map(|k| self.index.get(&k))
            .flatten()
            .copied()
            .find(|&i| {
                self.features[i]
                    .location
                    .as_ref()
                    .is_some_and(|l| geo::same_place(l, p))
            })
    }

    /// The feature at this point (within [`geo::TOLERANCE_DEG`]), if any.
    pub fn find(&self, p: &Point) -> Option<&Feature> {
        self.position(p).map(|i| &self.features[i])
    }

    /// Every feature, in file order.
    pub fn all(&self) -> &[Feature] {
        &self.features
    }

    /// Every feature encoded once, in file order (see [`Prepared`]).
    pub fn prepared(&self) -> &[Prepared<Feature>] {
        &self.prepared
    }

    /// How many features there are.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }
}

/// The features of a shared database inside a rectangle, found one at a time as the iterator advances.
///
/// It owns an [`Arc`] of the database, so a response stream built on it borrows nothing from the service.
#[derive(Debug, Clone)]
pub struct FeaturesIn {
    db: Arc<FeatureDb>,
    bounds: Bounds,
    next: usize,
}

impl FeaturesIn {
    /// The features of `db` inside `bounds`, in file order.
    pub fn new(db: Arc<FeatureDb>, bounds: Bounds) -> FeaturesIn {
        FeaturesIn {
            db,
            bounds,
            next: 0,
        }
    }
}

impl FeaturesIn {
    /// The same features, as they were encoded once when the database was loaded.
    pub fn prepared(self) -> PreparedIn {
        PreparedIn(self)
    }

    /// The index of the next feature inside the rectangle.
    fn next_index(&mut self) -> Option<usize> {
        let locations = &self.db.locations;
        while let Some(location) = locations.get(self.next) {
            self.next += 1;
            if location.as_ref().is_some_and(|l| self.bounds.contains(l)) {
                return Some(self.next - 1);
            }
        }
        None
    }
}

impl Iterator for FeaturesIn {
    type Item = Feature;

    fn next(&mut self) -> Option<Feature> {
        let i = self.next_index()?;
        Some(self.db.features[i].clone())
    }
}

/// [`FeaturesIn`] as prepared messages: each costs a reference count, not a copy of its name.
#[derive(Debug, Clone)]
pub struct PreparedIn(FeaturesIn);

impl Iterator for PreparedIn {
    type Item = Prepared<Feature>;

    fn next(&mut self) -> Option<Prepared<Feature>> {
        let i = self.0.next_index()?;
        Some(self.0.db.prepared[i].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_database_loads_and_has_beijing() {
        let db = FeatureDb::from_json(DEFAULT_JSON, "(embedded)").unwrap();
        assert!(db.len() >= 50, "{}", db.len());
        let f = db.find(&Point::new(39.92, 116.46)).unwrap();
        assert_eq!(f.name, "北京");
        assert_eq!(db.find(&Point::new(31.23, 121.47)).unwrap().name, "上海");
        assert!(db.find(&Point::new(1.0, 2.0)).is_none());
        assert_eq!(FeatureDb::default_db().len(), db.len());
    }

    #[test]
    fn find_tolerates_float_noise() {
        let db = FeatureDb::default_db();
        assert_eq!(
            db.find(&Point::new(39.92005, 116.46005)).unwrap().name,
            "北京"
        );
        assert!(db.find(&Point::new(39.9205, 116.46)).is_none());
    }

    #[test]
    fn features_in_a_rectangle_in_file_order() {
        let db = Arc::new(FeatureDb::default_db());
        let names: Vec<String> = FeaturesIn::new(
            db.clone(),
            Bounds::from_corners(&Point::new(31.23, 121.47), &Point::new(39.92, 116.46)),
        )
        .map(|f| f.name)
        .collect();
        assert_eq!(names.first().map(String::as_str), Some("北京"));
        assert_eq!(names.last().map(String::as_str), Some("上海"));
        for n in ["天津", "济南", "南京", "苏州"] {
            assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        }
        assert!(!names.iter().any(|x| x == "广州"));
        let bounds = Bounds::from_corners(&Point::new(31.23, 121.47), &Point::new(39.92, 116.46));
        let prepared: Vec<Feature> = FeaturesIn::new(db.clone(), bounds)
            .prepared()
            .map(|p| p.decode().unwrap())
            .collect();
        let plain: Vec<Feature> = FeaturesIn::new(db.clone(), bounds).collect();
        assert_eq!(prepared, plain);
        assert_eq!(db.prepared().len(), db.len());
        assert_eq!(
            FeaturesIn::new(
                db,
                Bounds::from_corners(&Point::new(1.0, 2.0), &Point::new(3.0, 4.0))
            )
            .count(),
            0
        );
    }

    #[test]
    fn bad_files_say_where_and_what() {
        let err = |text: &str| {
            FeatureDb::from_json(text, "f.json")
                .unwrap_err()
                .to_string()
        };
        let e = err(
            "[\n {\"name\": \"a\", \"latitude\": 1, \"longitude\": 2},\n {\"name\": \"b\", \"latitude\": 95, \"longitude\": 2}\n]",
        );
        assert!(
            e.starts_with("bad feature file f.json: latitude 95 is outside [-90, 90] at line 3"),
            "{e}"
        );
        let e = err("[{\"name\": \"\", \"latitude\": 1, \"longitude\": 2}]");
        assert!(e.contains("name is empty at line 1"), "{e}");
        let e = err("[{\"name\": \"a\", \"latitude\": 1}]");
        assert!(e.contains("missing field `longitude`"), "{e}");
        let e = err("[{\"name\": \"a\", \"lat\": 1, \"longitude\": 2}]");
        assert!(e.contains("unknown field `lat`"), "{e}");
        let e = err("[{\"name\": \"a\", \"latitude\": 1, \"longitude\": 2}");
        assert!(e.contains("EOF while parsing a list at line 1"), "{e}");
        let e = err(
            "[{\"name\": \"a\", \"latitude\": 1, \"longitude\": 2}, {\"name\": \"b\", \"latitude\": 1, \"longitude\": 2}]",
        );
        assert_eq!(
            e,
            "bad feature file f.json: entry 1 (\"b\") is at the same place as entry 0 (\"a\")"
        );
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let e = FeatureDb::load(Path::new("/nonexistent/features.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot read feature file /nonexistent/features.json: "),
            "{e}"
        );
    }
}
