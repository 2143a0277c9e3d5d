//! One measured run, as both load tools report it (JSON lines), and the statistics over rounds.

use crate::workload::Kind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Latency of the calls of a run, in microseconds. h2load gives only mean, min and max.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Latency {
    pub p50: Option<f64>,
    pub p99: Option<f64>,
    pub p999: Option<f64>,
    pub mean: f64,
    pub max: f64,
}

/// The result of one run of one load tool against one server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    /// `hello-bench` or `h2load`.
    pub tool: String,
    /// The server: `ours`, `tonic-build`, `python`, `ceiling`.
    pub peer: String,
    pub kind: Kind,
    /// Messages per call (streams).
    pub n: usize,
    pub connections: usize,
    pub in_flight: usize,
    /// Length of the measured window, seconds.
    pub seconds: f64,
    /// Calls completed with gRPC OK in the window.
    pub calls: u64,
    /// Streamed messages of those calls (see `workload`).
    pub messages: u64,
    pub calls_per_s: f64,
    pub msgs_per_s: f64,
    pub latency_us: Latency,
    /// Calls that failed in any way (non-OK status, HTTP error, reset), with the kinds seen.
    pub errors: u64,
    pub error_detail: BTreeMap<String, u64>,
    /// The server's CPU use over the window, in cores (1.0 = its whole core).
    pub server_cpu: Option<f64>,
    /// The load tool's own CPU use over the window, in cores (hello-bench only).
    #[serde(default)]
    pub load_cpu: Option<f64>,
    /// Set by the suite: the round, and the command that made this run.
    #[serde(default)]
    pub round: u32,
    #[serde(default)]
    pub command: String,
}

/// Median, min and max of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        let median = if v.len() % 2 == 1 {
            v[mid]
        } else {
            (v[mid - 1] + v[mid]) / 2.0
        };
        Some(Spread {
            median,
            min: v[0],
            max: v[v.len() - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Spread;

    #[test]
    fn median_min_max() {
        let s = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        assert_eq!(Spread::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert_eq!(Spread::of(&[]), None);
    }
}
