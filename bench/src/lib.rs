//! Benchmarks of `hello`: a load generator of our own, the peers it is run against (tonic-build's code for the
//! same proto, a bare HTTP/2 ceiling), an allocation count and a build-cost run. `scripts/bench.sh` runs it all.

pub mod alloc;
pub mod buildcost;
pub mod ceiling;
pub mod client;
pub mod client_instructions;
pub mod connect_cost;
pub mod cpu;
pub mod h2load;
pub mod instructions;
pub mod load;
pub mod profile;
pub mod report;
pub mod stats;
pub mod suite;
pub mod tonic_peer;
pub mod wire;
pub mod workload;
