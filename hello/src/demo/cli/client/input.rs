//! What the client sends: points and notes from arguments, files, standard input, or chance.

use crate::demo::features::FeatureDb;
pub use crate::demo::messages::{Point, RouteNote};

/// Parses `LAT,LON` (spaces allowed around either number).
pub fn parse_point(s: &str) -> Result<Point, String> {
    let (lat, lon) = s
        .split_once(',')
        .ok_or_else(|| format!("`{s}` is not a point: write LAT,LON"))?;
    let num = |v: &str, what: &str| {
        v.trim().parse::<f32>().map_err(|_| {
            format!(
                "`{s}` is not a point: {what} `{}` is not a number",
                v.trim()
            )
        })
    };
    Ok(Point {
        latitude: num(lat, "latitude")?,
        longitude: num(lon, "longitude")?,
    })
}

/// Parses a note, `LAT,LON:TEXT` or `LAT,LON TEXT`.
pub fn parse_note(s: &str) -> Result<RouteNote, String> {
    let s = s.trim();
    let cut = s
        .find([':', ' ', '\t'])
        .ok_or_else(|| format!("`{s}` is not a note: write LAT,LON:TEXT"))?;
    let location = parse_point(&s[..cut]).map_err(|e| format!("{e} (in note `{s}`)"))?;
    Ok(RouteNote {
        location: Some(location),
        message: s[cut + 1..].trim_start().to_owned(),
    })
}

/// Points from a text file: one `LAT,LON` per line; blank lines and lines starting with `#` are skipped.
pub fn points_from_text(text: &str, origin: &str) -> Result<Vec<Point>, String> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(n, l)| parse_point(l).map_err(|e| format!("{origin}, line {n}: {e}")))
        .collect()
}

/// `n` places picked at random from the embedded feature database, so a random route passes known features.
pub fn random_points(n: usize) -> Vec<Point> {
    let db = FeatureDb::default_db();
    let all = db.all();
    (0..n)
        .filter_map(|_| all.get(fastrand::usize(..all.len().max(1)))?.location)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points() {
        assert_eq!(
            parse_point("39.92,116.46"),
            Ok(Point {
                latitude: 39.92,
                longitude: 116.46
            })
        );
        assert_eq!(
            parse_point(" -33.5 , 151 "),
            Ok(Point {
                latitude: -33.5,
                longitude: 151.0
            })
        );
        assert_eq!(
            parse_point("39.92"),
            Err("`39.92` is not a point: write LAT,LON".into())
        );
        assert_eq!(
            parse_point("x,1"),
            Err("`x,1` is not a point: latitude `x` is not a number".into())
        );
    }

    #[test]
    fn notes() {
        let n = parse_note("39.92,116.46:hello there").unwrap();
        assert_eq!(n.message, "hello there");
        assert_eq!(
            n.location,
            Some(Point {
                latitude: 39.92,
                longitude: 116.46
            })
        );
        assert_eq!(parse_note("1,2 hi").unwrap().message, "hi");
        assert!(parse_note("hello").is_err());
    }

    #[test]
    fn point_files_name_the_bad_line() {
        let pts = points_from_text("# route\n1,2\n\n3,4\n", "r.txt").unwrap();
        assert_eq!(pts.len(), 2);
        let e = points_from_text("1,2\n3;4\n", "r.txt").unwrap_err();
        assert_eq!(e, "r.txt, line 2: `3;4` is not a point: write LAT,LON");
    }

    #[test]
    fn random_points_are_known_places() {
        let db = FeatureDb::default_db();
        let pts = random_points(20);
        assert_eq!(pts.len(), 20);
        assert!(pts.iter().all(|p| db.find(p).is_some()));
    }
}
