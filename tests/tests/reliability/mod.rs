//! Helpers shared by the reliability tests (tests/tests/reliability_*.rs).

pub mod raw;
