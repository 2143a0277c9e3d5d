//! Helpers of the end-to-end and compatibility tests in tests/: peers run as child processes.

pub mod process;
pub mod python;
