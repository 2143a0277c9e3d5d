//! The load generator's run: C connections, M calls in flight on each, a warm-up, then a measured window.
//!
//! Every call is checked (HTTP 200, gRPC OK, whole messages, as many as expected); any other outcome is an
//! error, counted and shown. Latency is recorded for the calls that complete inside the window.

use crate::client::{self, Connection};
use crate::cpu;
use crate::stats::{Latency, Run};
use crate::wire;
use crate::workload::{self, Kind};
use bytes::Bytes;
use hdrhistogram::Histogram;
use hello::demo::{Feature, RouteNote, RouteSummary};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadSpec {
    pub addr: SocketAddr,
    /// The server's name in reports.
    pub peer: String,
    pub kind: Kind,
    pub n: usize,
    pub connections: usize,
    pub in_flight: usize,
    pub warmup: Duration,
    pub duration: Duration,
    /// The server's process, to report its CPU use over the window.
    pub server_pid: Option<u32>,
}

const WARMING: u8 = 0;
const MEASURING: u8 = 1;
const DONE: u8 = 2;

/// What one worker saw in the window.
struct Tally {
    hist: Histogram<u64>,
    calls: u64,
    messages: u64,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn new() -> Result<Tally, String> {
        // 1 us .. 100 s at 3 significant digits.
        let hist = Histogram::new_with_bounds(1, 100_000_000, 3).map_err(|e| e.to_string())?;
        Ok(Tally {
            hist,
            calls: 0,
            messages: 0,
            errors: BTreeMap::new(),
        })
    }
}

struct Worker {
    conn: Connection,
    uri: http::Uri,
    body: Bytes,
    kind: Kind,
    n: usize,
    phase: Arc<AtomicU8>,
}

impl Worker {
    async fn run(self, mut tally: Tally) -> Tally {
        let (min, _) = workload::expected_responses(self.kind, self.n);
        loop {
            if self.phase.load(Ordering::Relaxed) == DONE {
                break;
            }
            let start = Instant::now();
            let result = self.conn.call(&self.uri, &self.body, false).await;
            let took = start.elapsed();
            match self.phase.load(Ordering::Relaxed) {
                MEASURING => {}
                WARMING => continue,
                _ => break,
            }
            match result {
                Ok(a) if a.messages >= min => {
                    tally.calls += 1;
                    tally.messages += workload::messages_per_call(self.kind, self.n, a.messages);
                    tally.hist.saturating_record(took.as_micros().max(1) as u64);
                }
                Ok(a) => {
                    *tally
                        .errors
                        .entry(format!("body: {} messages, expected {min}", a.messages))
                        .or_default() += 1;
                }
                Err(e) => *tally.errors.entry(e.to_string()).or_default() += 1,
            }
        }
        tally
    }
}

/// One call with its answer decoded and checked, before any load: a server that answers wrongly fails the
/// run here, with a message, instead of producing figures.
pub async fn check(
    conn: &Connection,
    addr: SocketAddr,
    kind: Kind,
    n: usize,
) -> Result<(), String> {
    let uri = client::uri(addr, &kind.path())?;
    let body = workload::request_body(kind, n);
    let answer = conn
        .call(&uri, &body, true)
        .await
        .map_err(|e| format!("{} against {addr}: {e}", kind.label(n)))?;
    let (min, max) = workload::expected_responses(kind, n);
    let got = match kind {
        Kind::Unary => wire::decode_all::<Feature>(&answer.body).map(|v| v.len()),
        Kind::List => wire::decode_all::<Feature>(&answer.body).map(|v| v.len()),
        Kind::Record => wire::decode_all::<RouteSummary>(&answer.body).map(|v| v.len()),
        Kind::Chat => wire::decode_all::<RouteNote>(&answer.body).map(|v| v.len()),
    };
    match got {
        Some(k) if (min..=max).contains(&(k as u64)) => Ok(()),
        Some(k) => Err(format!(
            "{} against {addr}: {k} response messages, expected {min}..={max} (does this server support it?)",
            kind.label(n)
        )),
        None => Err(format!(
            "{} against {addr}: response does not decode",
            kind.label(n)
        )),
    }
}

/// Runs the load and measures it.
pub async fn run(spec: &LoadSpec) -> Result<Run, String> {
    let uri = client::uri(spec.addr, &spec.kind.path())?;
    let body = workload::request_body(spec.kind, spec.n);
    let mut conns = Vec::with_capacity(spec.connections);
    for _ in 0..spec.connections.max(1) {
        conns.push(Connection::open(spec.addr).await?);
    }
    check(&conns[0], spec.addr, spec.kind, spec.n).await?;

    let phase = Arc::new(AtomicU8::new(WARMING));
    let mut workers = Vec::new();
    for conn in &conns {
        for _ in 0..spec.in_flight.max(1) {
            let w = Worker {
                conn: conn.clone(),
                uri: uri.clone(),
                body: body.clone(),
                kind: spec.kind,
                n: spec.n,
                phase: phase.clone(),
            };
            workers.push(tokio::spawn(w.run(Tally::new()?)));
        }
    }
    tokio::time::sleep(spec.warmup).await;
    phase.store(MEASURING, Ordering::Relaxed);
    let start = Instant::now();
    let cpu_start = spec.server_pid.and_then(cpu::process_time);
    let own_start = cpu::process_time(std::process::id());
    tokio::time::sleep(spec.duration).await;
    phase.store(DONE, Ordering::Relaxed);
    let seconds = start.elapsed().as_secs_f64();
    let cpu_end = spec.server_pid.and_then(cpu::process_time);
    let own_end = cpu::process_time(std::process::id());

    let mut total = Tally::new()?;
    for w in workers {
        // Calls still in flight finish (or fail) on their own; a server that never answers is cut off.
        let abort = w.abort_handle();
        match tokio::time::timeout(Duration::from_secs(30), w).await {
            Ok(Ok(t)) => {
                total.calls += t.calls;
                total.messages += t.messages;
                let _ = total.hist.add(&t.hist);
                for (k, v) in t.errors {
                    *total.errors.entry(k).or_default() += v;
                }
            }
            Ok(Err(e)) => *total.errors.entry(format!("worker: {e}")).or_default() += 1,
            Err(_) => {
                abort.abort();
                *total
                    .errors
                    .entry("worker: no answer 30 s after the window".to_owned())
                    .or_default() += 1;
            }
        }
    }
    let server_cpu = match (cpu_start, cpu_end) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a).as_secs_f64() / seconds),
        _ => None,
    };
    let h = &total.hist;
    let has = !h.is_empty();
    let q = |p: f64| has.then(|| h.value_at_quantile(p) as f64);
    Ok(Run {
        tool: "hello-bench".to_owned(),
        peer: spec.peer.clone(),
        kind: spec.kind,
        n: spec.n,
        connections: spec.connections,
        in_flight: spec.in_flight,
        seconds,
        calls: total.calls,
        messages: total.messages,
        calls_per_s: total.calls as f64 / seconds,
        msgs_per_s: total.messages as f64 / seconds,
        latency_us: Latency {
            p50: q(0.5),
            p99: q(0.99),
            p999: q(0.999),
            mean: if has { h.mean() } else { 0.0 },
            max: h.max() as f64,
        },
        errors: total.errors.values().sum(),
        error_detail: total.errors,
        server_cpu,
        load_cpu: match (own_start, own_end) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a).as_secs_f64() / seconds),
            _ => None,
        },
        round: 0,
        command: String::new(),
    })
}
