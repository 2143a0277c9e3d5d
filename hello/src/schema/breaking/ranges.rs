//! Reserved and extension ranges: a range of the old schema must stay covered by the new one's ranges.

use super::Finding;

/// An inclusive range of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Range {
    start: i32,
    end: i32,
}

impl Range {
    pub fn new(start: i32, end: i32) -> Self {
        Self { start, end }
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{} to {}", self.start, self.end)
        }
    }
}

/// Whether any of `ranges` holds `number`.
pub(super) fn contains(ranges: &[Range], number: i32) -> bool {
    ranges.iter().any(|r| r.start <= number && number <= r.end)
}

/// One finding per old range that the new ranges no longer cover entirely.
pub(super) fn check_kept(
    element: &str,
    rule: &'static str,
    kind: &str,
    old: &[Range],
    new: &[Range],
    out: &mut Vec<Finding>,
) {
    let covered = collapse(new);
    for range in old {
        let missing = missing(*range, &covered);
        if !missing.is_empty() {
            let missing: Vec<String> = missing.iter().map(Range::to_string).collect();
            out.push(Finding {
                element: element.to_owned(),
                rule,
                message: format!("{kind} range {range} lost {}", missing.join(", ")),
            });
        }
    }
}

/// The ranges sorted, overlapping and adjacent ones merged.
fn collapse(ranges: &[Range]) -> Vec<Range> {
    let mut sorted = ranges.to_vec();
    sorted.sort();
    let mut out: Vec<Range> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match out.last_mut() {
            Some(last) if i64::from(range.start) <= i64::from(last.end) + 1 => {
                last.end = last.end.max(range.end);
            }
            _ => out.push(range),
        }
    }
    out
}

/// The parts of `range` no range of `covered` (collapsed) holds.
fn missing(range: Range, covered: &[Range]) -> Vec<Range> {
    let mut out = Vec::new();
    let mut next = i64::from(range.start);
    for c in covered {
        if i64::from(c.end) < next {
            continue;
        }
        if i64::from(c.start) > i64::from(range.end) {
            break;
        }
        if i64::from(c.start) > next {
            out.push(Range::new(next as i32, c.start - 1));
        }
        next = i64::from(c.end) + 1;
    }
    if next <= i64::from(range.end) {
        out.push(Range::new(next as i32, range.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_of_a_range() {
        let covered = collapse(&[Range::new(5, 6), Range::new(1, 2), Range::new(3, 3)]);
        assert_eq!(covered, [Range::new(1, 3), Range::new(5, 6)]);
        assert_eq!(missing(Range::new(1, 6), &covered), [Range::new(4, 4)]);
        assert_eq!(
            missing(Range::new(0, 8), &covered),
            [Range::new(0, 0), Range::new(4, 4), Range::new(7, 8)]
        );
        assert!(missing(Range::new(5, 6), &covered).is_empty());
    }
}
