//! The running figures of RecordRoute: points, features passed, distance, elapsed time.

use crate::demo::geo;
use crate::demo::messages::{Point, RouteSummary};
use std::time::Instant;

/// Sums up a route one point at a time, so RecordRoute keeps nothing but these figures.
#[derive(Debug, Clone, Default)]
pub struct RouteStats {
    points: u64,
    features: u64,
    metres: f64,
    last: Option<Point>,
    first_at: Option<Instant>,
    last_at: Option<Instant>,
}

/// Converts a count or measure to the proto's `int32`, saturating instead of wrapping.
fn int32(v: f64) -> i32 {
    // `as` saturates at i32::MAX (and maps NaN to 0) rather than wrapping.
    v as i32
}

impl RouteStats {
    /// Adds a point received at `now`; `is_feature` says whether a feature is known there.
    pub fn push(&mut self, p: Point, is_feature: bool, now: Instant) {
        self.points += 1;
        self.features += u64::from(is_feature);
        if let Some(prev) = self.last {
            self.metres += geo::distance_m(&prev, &p);
        }
        self.last = Some(p);
        self.first_at.get_or_insert(now);
        self.last_at = Some(now);
    }

    /// point_count, feature_count, distance in whole metres, elapsed seconds from first to last point.
    pub fn summary(&self) -> RouteSummary {
        let elapsed = match (self.first_at, self.last_at) {
            (Some(a), Some(b)) => b.saturating_duration_since(a).as_secs_f64(),
            _ => 0.0,
        };
        RouteSummary {
            point_count: int32(self.points as f64),
            feature_count: int32(self.features as f64),
            distance: int32(self.metres.round()),
            elapsed_time: int32(elapsed.floor()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn empty_route_is_all_zero() {
        assert_eq!(RouteStats::default().summary(), RouteSummary::default());
    }

    #[test]
    fn sums_points_features_distance_and_time() {
        let t0 = Instant::now();
        let mut r = RouteStats::default();
        r.push(Point::new(0.0, 0.0), true, t0);
        r.push(
            Point::new(1.0, 0.0),
            false,
            t0 + Duration::from_millis(1500),
        );
        r.push(Point::new(1.0, 0.0), true, t0 + Duration::from_millis(2900));
        let s = r.summary();
        assert_eq!(s.point_count, 3);
        assert_eq!(s.feature_count, 2);
        assert_eq!(s.distance, 111_195);
        assert_eq!(s.elapsed_time, 2);
    }
}
