//! Helpers of the end-to-end and compatibility tests in tests/, built on the workspace's test harness
//! (`hello-testkit`): the demo served in-process, its messages, the reference `.proto`, peers as child processes.

pub mod bins;
pub mod demo;
pub mod messages;
pub mod probe;
pub mod process;
pub mod python;
pub mod reference;
pub mod served;
pub mod status;
