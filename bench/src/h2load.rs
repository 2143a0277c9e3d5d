//! The second, independent load tool: nghttp2's `h2load`, sending request bodies made from our messages.
//!
//! h2load checks the HTTP status of every response but cannot see gRPC trailers, so the gRPC status is checked
//! two ways: `nghttp -v` makes the same call before and after each run and must see `:status: 200` and
//! `grpc-status: 0` with the full body; and the run's DATA volume must match its completed responses (an error
//! answer carries no messages), within the calls still in flight at the end.
//!
//! The warm-up is a separate h2load run just before the measured one: h2load 1.52's own `--warm-up-time` does
//! not reset its byte counts, which the volume check needs.

use crate::cpu;
use crate::stats::{Latency, Run};
use crate::workload::{self, Kind};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// What to run.
#[derive(Debug, Clone)]
pub struct H2loadSpec {
    pub addr: SocketAddr,
    pub peer: String,
    pub kind: Kind,
    pub n: usize,
    pub connections: usize,
    pub in_flight: usize,
    pub warmup: Duration,
    pub duration: Duration,
    pub server_pid: Option<u32>,
    /// Where the request body file is written.
    pub work_dir: PathBuf,
}

/// One call made with `nghttp -v`: what came back.
#[derive(Debug, Default, PartialEq)]
pub struct Probe {
    pub http_status: Option<u16>,
    pub grpc_status: Option<String>,
    pub payload: u64,
    pub frames: u64,
}

fn headers(body: &Path) -> Vec<String> {
    vec![
        "-d".into(),
        body.display().to_string(),
        "-H".into(),
        "content-type: application/grpc".into(),
        "-H".into(),
        "te: trailers".into(),
    ]
}

/// Parses `nghttp -v` output.
pub fn parse_probe(out: &str) -> Probe {
    let mut p = Probe::default();
    for line in out.lines() {
        if let Some(i) = line.find(":status: ") {
            p.http_status = line[i + 9..].trim().parse().ok();
        } else if let Some(i) = line.find("grpc-status: ") {
            p.grpc_status = Some(line[i + 13..].trim().to_owned());
        } else if let Some(i) = line.find("recv DATA frame <length=") {
            let rest = &line[i + 24..];
            let len: u64 = rest
                .split(',')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            p.payload += len;
            p.frames += 1;
        }
    }
    p
}

/// Makes one call with nghttp and requires HTTP 200, gRPC OK and a body.
fn probe(url: &str, body: &Path) -> Result<Probe, String> {
    let out = Command::new("nghttp")
        .args(["-v", "-n"])
        .args(headers(body))
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run nghttp (apt-get install nghttp2-client): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let p = parse_probe(&text);
    if p.http_status != Some(200) || p.grpc_status.as_deref() != Some("0") || p.payload == 0 {
        return Err(format!(
            "nghttp {url}: expected HTTP 200, grpc-status 0 and a body; got {p:?}"
        ));
    }
    Ok(p)
}

/// h2load's summary.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub done: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub errored: u64,
    pub timeout: u64,
    pub status_2xx: u64,
    /// 3xx, 4xx and 5xx answers.
    pub status_other: u64,
    pub data_bytes: u64,
    pub mean_us: f64,
    pub max_us: f64,
}

fn micros(s: &str) -> Option<f64> {
    let (num, factor) = if let Some(v) = s.strip_suffix("us") {
        (v, 1.0)
    } else if let Some(v) = s.strip_suffix("ms") {
        (v, 1e3)
    } else if let Some(v) = s.strip_suffix('s') {
        (v, 1e6)
    } else {
        (s, 1.0)
    };
    num.parse::<f64>().ok().map(|v| v * factor)
}

/// The number before `word` in a comma-separated list such as `10 total, 10 started, ...`.
fn count_before(line: &str, word: &str) -> Option<u64> {
    line.split(',').find_map(|part| {
        let mut it = part.split_whitespace().rev();
        let w = it.next()?;
        let v = it.next()?;
        (w == word).then(|| v.parse().ok()).flatten()
    })
}

/// Parses h2load's output.
pub fn parse_summary(out: &str) -> Option<Summary> {
    let mut s = Summary::default();
    let mut seen = 0;
    for line in out.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("requests:") {
            s.done = count_before(rest, "done")?;
            s.succeeded = count_before(rest, "succeeded")?;
            s.failed = count_before(rest, "failed")?;
            s.errored = count_before(rest, "errored")?;
            s.timeout = count_before(rest, "timeout")?;
            seen += 1;
        } else if let Some(rest) = line.strip_prefix("status codes:") {
            s.status_2xx = count_before(rest, "2xx")?;
            s.status_other = ["3xx", "4xx", "5xx"]
                .iter()
                .map(|w| count_before(rest, w))
                .sum::<Option<u64>>()?;
            seen += 1;
        } else if let Some(rest) = line.strip_prefix("traffic:") {
            // `... 609.84KB (624478) data`: the exact count is in parentheses.
            let last = rest.split(',').next_back()?;
            let open = last.find('(')?;
            let close = last.find(')')?;
            s.data_bytes = last[open + 1..close].parse().ok()?;
            seen += 1;
        } else if let Some(rest) = line.strip_prefix("time for request:") {
            let v: Vec<&str> = rest.split_whitespace().collect();
            s.max_us = micros(v.get(1)?)?;
            s.mean_us = micros(v.get(2)?)?;
            seen += 1;
        }
    }
    (seen == 4).then_some(s)
}

/// The h2load command line: `-D` seconds of load (in milliseconds: h2load takes whole units).
pub fn args(spec: &H2loadSpec, body: &Path, seconds: Duration) -> Vec<String> {
    let mut a = vec![
        "-c".to_owned(),
        spec.connections.to_string(),
        "-m".to_owned(),
        spec.in_flight.to_string(),
        "-t".to_owned(),
        "1".to_owned(),
        "-D".to_owned(),
        format!("{}ms", seconds.as_millis().max(1)),
    ];
    a.extend(headers(body));
    a.push(format!("http://{}{}", spec.addr, spec.kind.path()));
    a
}

fn h2load(args: &[String]) -> Result<std::process::Output, String> {
    Command::new("h2load")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run h2load (apt-get install nghttp2-client): {e}"))
}

/// Runs h2load and checks it as the module says.
pub fn run(spec: &H2loadSpec) -> Result<Run, String> {
    std::fs::create_dir_all(&spec.work_dir)
        .map_err(|e| format!("cannot create {}: {e}", spec.work_dir.display()))?;
    let body = spec
        .work_dir
        .join(format!("body-{}-{}.bin", spec.kind.method(), spec.n));
    std::fs::write(&body, workload::request_body(spec.kind, spec.n))
        .map_err(|e| format!("cannot write {}: {e}", body.display()))?;
    let url = format!("http://{}{}", spec.addr, spec.kind.path());
    let before = probe(&url, &body)?;

    if !spec.warmup.is_zero() {
        h2load(&args(spec, &body, spec.warmup))?;
    }
    let measured = args(spec, &body, spec.duration);
    let cpu_start = spec.server_pid.and_then(cpu::process_time);
    let started = std::time::Instant::now();
    let out = h2load(&measured)?;
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_end = spec.server_pid.and_then(cpu::process_time);
    let text = String::from_utf8_lossy(&out.stdout);
    let s = parse_summary(&text).ok_or_else(|| {
        format!(
            "h2load output not understood (exit {}):\n{text}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    probe(&url, &body)?;

    let mut errors = BTreeMap::new();
    for (what, v) in [
        ("h2load failed", s.failed),
        ("h2load errored", s.errored),
        ("h2load timeout", s.timeout),
        ("HTTP 3xx/4xx/5xx", s.status_other),
    ] {
        if v > 0 {
            errors.insert(what.to_owned(), v);
        }
    }
    // Every OK answer carries `before.payload` DATA bytes, an error answer none; the calls in flight when the
    // time is up may have received part of theirs.
    let per = before.payload.max(1);
    let in_flight = (spec.connections * spec.in_flight) as u64;
    if s.data_bytes < s.done * per {
        errors.insert(
            "gRPC body volume short (answers without messages)".to_owned(),
            (s.done * per - s.data_bytes).div_ceil(per),
        );
    } else if s.data_bytes > (s.done + in_flight) * per {
        errors.insert(
            "gRPC body volume beyond the answers counted".to_owned(),
            (s.data_bytes - (s.done + in_flight) * per).div_ceil(per),
        );
    }
    let seconds = spec.duration.as_secs_f64();
    let calls = s.succeeded;
    let (min_msgs, _) = workload::expected_responses(spec.kind, spec.n);
    let messages = calls * workload::messages_per_call(spec.kind, spec.n, min_msgs.max(1));
    let server_cpu = match (cpu_start, cpu_end) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a).as_secs_f64() / elapsed),
        _ => None,
    };
    Ok(Run {
        tool: "h2load".to_owned(),
        peer: spec.peer.clone(),
        kind: spec.kind,
        n: spec.n,
        connections: spec.connections,
        in_flight: spec.in_flight,
        seconds,
        calls,
        messages,
        calls_per_s: calls as f64 / seconds,
        msgs_per_s: messages as f64 / seconds,
        latency_us: Latency {
            p50: None,
            p99: None,
            p999: None,
            mean: s.mean_us,
            max: s.max_us,
        },
        errors: errors.values().sum(),
        error_detail: errors,
        server_cpu,
        load_cpu: None,
        round: 0,
        command: format!("h2load {}", measured.join(" ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const H2LOAD: &str = "\
finished in 3.00s, 12030.00 req/s, 564.00KB/s
requests: 24060 total, 24060 started, 24060 done, 24060 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 24060 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 1.10MB (1155064) total, 108.03KB (110618) headers (space savings 95.76%), 609.84KB (624478) data
                     min         max         mean         sd        +/- sd
time for request:       61us     30.67ms      5.14ms      4.08ms    79.26%
";

    #[test]
    fn parses_h2load() {
        let s = parse_summary(H2LOAD).unwrap();
        assert_eq!(s.done, 24060);
        assert_eq!((s.status_2xx, s.status_other), (24060, 0));
        assert_eq!(s.data_bytes, 624478);
        assert_eq!(s.max_us, 30670.0);
        assert_eq!(s.mean_us, 5140.0);
        assert!(parse_summary("nothing").is_none());
    }

    #[test]
    fn parses_nghttp() {
        let out = "[  0.001] recv (stream_id=13) :status: 200\n\
                   [  0.001] recv DATA frame <length=17, flags=0x00, stream_id=13>\n\
                   [  0.001] recv (stream_id=13) grpc-status: 0\n";
        let p = parse_probe(out);
        assert_eq!(p.http_status, Some(200));
        assert_eq!(p.grpc_status.as_deref(), Some("0"));
        assert_eq!((p.payload, p.frames), (17, 1));
    }
}
