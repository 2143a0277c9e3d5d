//! Helpers of the end-to-end and compatibility tests in tests/: our server in-process, peers as child processes.

pub mod bins;
pub mod our_server;
pub mod probe;
pub mod process;
pub mod python;
pub mod served;
