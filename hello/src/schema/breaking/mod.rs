//! The breaking-change gate: what a new schema breaks for the users of an old one, by buf's rules.
//!
//! [`breaking_changes`] compares two `FileDescriptorSet`s (the baseline, the current) with the rules of one of buf's
//! categories, [`Category::Wire`], [`Category::WireJson`] (the default) or [`Category::File`], and reports each
//! finding on one line: the element, buf's rule ID, what changed.
//!
//! Elements are matched as buf matches them: files by path; messages, enums and services by full name; fields
//! and enum values by number; methods and oneofs by name. protobuf's own files (`google/protobuf/...`) are
//! imports, not part of the schema, and are not checked.

mod fields;
mod index;
mod ranges;
mod rules;
mod types;

use std::fmt;
use std::str::FromStr;

use prost_types::FileDescriptorSet;

pub use rules::{RULES, Rule};

/// One of buf's breaking-change categories, from the strictest to the most lenient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Category {
    /// Source compatibility of generated code, per file: nothing deleted, renamed or moved (buf's `FILE`).
    File,
    /// Wire and JSON compatibility: field and value names count, since JSON carries them (buf's `WIRE_JSON`).
    #[default]
    WireJson,
    /// Wire compatibility alone: only numbers and encodings count (buf's `WIRE`).
    Wire,
}

impl Category {
    /// Every category, strictest first.
    pub const ALL: [Category; 3] = [Category::File, Category::WireJson, Category::Wire];

    /// buf's name: `FILE`, `WIRE_JSON`, `WIRE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::File => "FILE",
            Self::WireJson => "WIRE_JSON",
            Self::Wire => "WIRE",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown category `{s}`: expected FILE, WIRE_JSON or WIRE"))
    }
}

/// One breaking change: `hello.Point.latitude: FIELD_SAME_TYPE: type changed from float to double`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    /// The element, fully qualified: `hello.Point.latitude`, `hello.Hello.GetFeature`, `hello.proto`.
    pub element: String,
    /// buf's rule ID: `FIELD_SAME_TYPE`.
    pub rule: &'static str,
    /// What changed, in a few words.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.element, self.rule, self.message)
    }
}

/// What a schema breaks, one [`Finding`] per line; empty when it is compatible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakingChanges {
    category: Category,
    findings: Vec<Finding>,
}

impl BreakingChanges {
    /// Whether the new schema is compatible with the old one in this category.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// The findings, ordered by element then rule.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The category the rules came from.
    pub fn category(&self) -> Category {
        self.category
    }
}

impl fmt::Display for BreakingChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}

/// Every change from `against` (the baseline) to `current` that breaks `category`'s compatibility.
pub fn breaking_changes(
    against: &FileDescriptorSet,
    current: &FileDescriptorSet,
    category: Category,
) -> BreakingChanges {
    let previous = index::Index::of(against);
    let now = index::Index::of(current);
    let mut all = Vec::new();
    types::check(&previous, &now, &mut all);
    fields::check(&previous, &now, &mut all);
    let mut findings: Vec<Finding> = all
        .into_iter()
        .filter(|f| rules::in_category(f.rule, category))
        .collect();
    findings.sort();
    BreakingChanges { category, findings }
}
