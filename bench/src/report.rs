//! BENCHMARKS.md from a suite's results: the tables with medians, min..max and ratios, the machine, the
//! versions, and the exact commands.

use crate::alloc::{AllocRow, Which};
use crate::buildcost::BuildCost;
use crate::client_instructions::ClientInstrRow;
use crate::instructions::InstrRow;
use crate::profile::Profile;
use crate::stats::{Run, Spread};
use crate::suite::{Peer, SuiteOpts};
use crate::workload::Kind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::process::Command;

/// The machine, the versions and the settings of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    pub date: String,
    pub cpu_model: String,
    pub cores: usize,
    pub kernel: String,
    pub versions: Vec<(String, String)>,
    pub rounds: u32,
    pub warmup_s: f64,
    pub duration_s: f64,
    pub server_core: String,
    pub load_core: String,
    pub invocation: String,
    /// /proc/loadavg before each round and at the end: other work on the machine shows here.
    pub loadavg: Vec<String>,
    pub bench_seconds: f64,
    pub total_seconds: f64,
    /// What else ran on the machine, as the caller knows it (`--machine-note`).
    #[serde(default)]
    pub machine_note: String,
    /// When the servers' binaries were built (their modification time): with `--no-build` they may be older
    /// than the commit named.
    #[serde(default)]
    pub binaries_built: String,
}

fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|| "(not found)".to_owned())
}

/// The version of a package in Cargo.lock.
fn locked(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == format!("name = \"{name}\"") {
            return lines
                .next()?
                .strip_prefix("version = \"")?
                .strip_suffix('"')
                .map(str::to_owned);
        }
    }
    None
}

/// The load averages of the machine now.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

impl Meta {
    pub fn gather(opts: &SuiteOpts) -> Meta {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_default();
        let lock = std::fs::read_to_string(opts.repo_root.join("Cargo.lock")).unwrap_or_default();
        let mut versions = vec![
            (
                "hello".to_owned(),
                format!(
                    "commit {} ({}; `git describe --dirty`: {})",
                    first_line("git", &["rev-parse", "HEAD"]),
                    first_line("git", &["log", "-1", "--format=%cd", "--date=iso"]),
                    first_line("git", &["describe", "--always", "--dirty"])
                ),
            ),
            ("rustc".to_owned(), first_line("rustc", &["--version"])),
        ];
        for name in [
            "tonic",
            "prost",
            "connectrpc",
            "buffa",
            "hyper",
            "h2",
            "tokio",
        ] {
            if let Some(v) = locked(&lock, name) {
                versions.push((name.to_owned(), v));
            }
        }
        versions.push(("h2load".to_owned(), first_line("h2load", &["--version"])));
        if let Some((python, _)) = &opts.python {
            let py = python.to_string_lossy();
            versions.push(("python".to_owned(), first_line(&py, &["--version"])));
            versions.push((
                "grpcio".to_owned(),
                first_line(&py, &["-c", "import grpc; print(grpc.__version__)"]),
            ));
        }
        Meta {
            date: first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            cpu_model,
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            kernel: first_line("uname", &["-sr"]),
            versions,
            rounds: opts.rounds,
            warmup_s: opts.warmup.as_secs_f64(),
            duration_s: opts.duration.as_secs_f64(),
            server_core: opts.server_core.clone(),
            load_core: opts.load_core.clone(),
            invocation: opts.invocation.clone(),
            loadavg: Vec::new(),
            bench_seconds: 0.0,
            total_seconds: 0.0,
            machine_note: opts.machine_note.clone(),
            binaries_built: first_line(
                "date",
                &[
                    "-u",
                    "+%Y-%m-%d %H:%M:%S UTC",
                    "-r",
                    &opts.bin_dir.join("hello-server").to_string_lossy(),
                ],
            ),
        }
    }
}

/// 73.2k, 11.9M, 812.
pub fn rate(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.1}k", x / 1e3)
    } else if x >= 1e3 {
        format!("{:.2}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

/// The figure a workload is judged by: calls/s for GetFeature, messages/s for streams.
fn figure(run: &Run) -> f64 {
    match run.kind {
        Kind::Unary => run.calls_per_s,
        _ => run.msgs_per_s,
    }
}

fn unit(kind: Kind) -> &'static str {
    match kind {
        Kind::Unary => "calls/s",
        _ => "msgs/s",
    }
}

/// A progress line for one run.
pub fn one_line(run: &Run) -> String {
    let lat = &run.latency_us;
    let p = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0}"));
    let pct = |c: Option<f64>| c.map_or("-".to_owned(), |c| format!("{:.0}%", c * 100.0));
    format!(
        "{:>8} {:<7} p50 {:>6} p99 {:>6} us  CPU server {} load {}",
        rate(figure(run)),
        unit(run.kind),
        p(lat.p50.or(Some(lat.mean))),
        p(lat.p99),
        pct(run.server_cpu),
        pct(run.load_cpu)
    )
}

/// Runs grouped by (tool, workload, c, m), then by peer, in the order first seen.
type Groups<'a> = Vec<(
    (String, Kind, usize, usize, usize),
    BTreeMap<Peer, Vec<&'a Run>>,
)>;

fn peer_of(name: &str) -> Option<Peer> {
    Peer::ALL.into_iter().find(|p| p.name() == name)
}

fn group(runs: &[Run]) -> Groups<'_> {
    let mut groups: Groups = Vec::new();
    for r in runs {
        let key = (r.tool.clone(), r.kind, r.n, r.connections, r.in_flight);
        let Some(peer) = peer_of(&r.peer) else {
            continue;
        };
        let at = match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                groups.push((key, BTreeMap::new()));
                groups.len() - 1
            }
        };
        groups[at].1.entry(peer).or_default().push(r);
    }
    groups
}

fn spread_cell(s: Option<Spread>, fmt: fn(f64) -> String) -> String {
    match s {
        Some(s) if s.min == s.max => fmt(s.median),
        Some(s) => format!("{} ({}..{})", fmt(s.median), fmt(s.min), fmt(s.max)),
        None => "-".to_owned(),
    }
}

fn ratio_fmt(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Per-round ratios of ours to a peer (runs of the same round side by side), as a spread.
fn ratios(by_peer: &BTreeMap<Peer, Vec<&Run>>, other: Peer) -> Option<Spread> {
    ratios_of(by_peer, Peer::Ours, other)
}

/// Per-round ratios of one peer's figure to another's, as a spread.
fn ratios_of(by_peer: &BTreeMap<Peer, Vec<&Run>>, one: Peer, other: Peer) -> Option<Spread> {
    let ours = by_peer.get(&one)?;
    let theirs = by_peer.get(&other)?;
    let v: Vec<f64> = ours
        .iter()
        .filter_map(|o| {
            let t = theirs.iter().find(|t| t.round == o.round)?;
            (figure(t) > 0.0).then(|| figure(o) / figure(t))
        })
        .collect();
    Spread::of(&v)
}

fn figures(runs: &[&Run], f: impl Fn(&Run) -> Option<f64>) -> Option<Spread> {
    Spread::of(&runs.iter().filter_map(|r| f(r)).collect::<Vec<_>>())
}

/// The throughput table of one tool.
fn throughput_table(out: &mut String, groups: &Groups, tool: &str) {
    let _ = writeln!(
        out,
        "| workload | conns x in flight | unit | ours | tonic-build | connect-rust | python | ceiling | ours/tonic-build | connect-rust/tonic-build | ours/connect-rust | ours/python |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    for ((t, kind, n, c, m), by_peer) in groups {
        if t != tool {
            continue;
        }
        let mut row = format!("| {} | {c} x {m} | {} |", kind.label(*n), unit(*kind));
        for peer in Peer::ALL {
            let cell = by_peer
                .get(&peer)
                .map(|rs| spread_cell(figures(rs, |r| Some(figure(r))), rate))
                .unwrap_or_else(|| "-".to_owned());
            let _ = write!(row, " {cell} |");
        }
        for (one, other) in [
            (Peer::Ours, Peer::TonicBuild),
            (Peer::Connect, Peer::TonicBuild),
            (Peer::Ours, Peer::Connect),
            (Peer::Ours, Peer::Python),
        ] {
            let _ = write!(
                row,
                " {} |",
                spread_cell(ratios_of(by_peer, one, other), ratio_fmt)
            );
        }
        let _ = writeln!(out, "{row}");
    }
}

fn micros(x: f64) -> String {
    if x >= 10_000.0 {
        format!("{:.1}ms", x / 1000.0)
    } else {
        format!("{x:.0}")
    }
}

/// The latency and server-CPU table of one tool.
fn latency_table(out: &mut String, groups: &Groups, tool: &str) {
    let h2load = tool == "h2load";
    let _ = writeln!(
        out,
        "| workload | conns x in flight | ours | tonic-build | connect-rust | python | ceiling |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for ((t, kind, n, c, m), by_peer) in groups {
        if t != tool {
            continue;
        }
        let mut row = format!("| {} | {c} x {m} |", kind.label(*n));
        for peer in Peer::ALL {
            let Some(rs) = by_peer.get(&peer) else {
                row.push_str(" - |");
                continue;
            };
            let med = |f: &dyn Fn(&Run) -> Option<f64>| {
                figures(rs, |r| f(r)).map_or("-".to_owned(), |s| micros(s.median))
            };
            let pct = |f: fn(&Run) -> Option<f64>| {
                figures(rs, f).map(|s| format!("{:.0}%", s.median * 100.0))
            };
            let cpu = match (pct(|r| r.server_cpu), pct(|r| r.load_cpu)) {
                (Some(s), Some(l)) => format!("{s}, load {l}"),
                (Some(s), None) => s,
                _ => "-".to_owned(),
            };
            let errors: u64 = rs.iter().map(|r| r.errors).sum();
            let errors = if errors > 0 {
                format!(", **{errors} errors**")
            } else {
                String::new()
            };
            if h2load {
                let _ = write!(
                    row,
                    " {} (CPU {cpu}{errors}) |",
                    med(&|r| Some(r.latency_us.mean))
                );
            } else {
                let _ = write!(
                    row,
                    " {} / {} / {} (CPU {cpu}{errors}) |",
                    med(&|r| r.latency_us.p50),
                    med(&|r| r.latency_us.p99),
                    med(&|r| r.latency_us.p999)
                );
            }
        }
        let _ = writeln!(out, "{row}");
    }
}

/// The allocation table (also printed by `alloc-bench`).
pub fn alloc_table(rows: &[AllocRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| workload | per | ours allocs | tonic-build allocs | ours bytes | tonic-build bytes |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let mut seen = Vec::new();
    for r in rows {
        if seen.contains(&(r.kind, r.n)) {
            continue;
        }
        seen.push((r.kind, r.n));
        let find = |w: Which| {
            rows.iter()
                .find(|x| x.which == w && x.kind == r.kind && x.n == r.n)
        };
        let (Some(o), Some(t)) = (find(Which::Ours), find(Which::TonicBuild)) else {
            continue;
        };
        let per_call = r.kind == Kind::Unary || (r.kind == Kind::List && r.n <= 10);
        let per = if per_call { "call" } else { "message" };
        let f = |x: &AllocRow| {
            if per_call {
                (x.allocs_per_call, x.bytes_per_call)
            } else {
                (x.allocs_per_message, x.bytes_per_message)
            }
        };
        let (oa, ob) = f(o);
        let (ta, tb) = f(t);
        let _ = writeln!(
            out,
            "| {} | {per} | {oa:.2} | {ta:.2} | {ob:.0} | {tb:.0} |",
            r.kind.label(r.n)
        );
    }
    out
}

/// Allocations of one GetFeature call by size, ours against tonic-build's (where they differ).
pub fn size_table(rows: &[AllocRow]) -> String {
    let unary = |w: Which| rows.iter().find(|r| r.which == w && r.kind == Kind::Unary);
    let (Some(o), Some(t)) = (unary(Which::Ours), unary(Which::TonicBuild)) else {
        return String::new();
    };
    let mut sizes: Vec<usize> = o
        .sizes_per_call
        .iter()
        .chain(&t.sizes_per_call)
        .map(|x| x.0)
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    let get = |r: &AllocRow, size| {
        r.sizes_per_call
            .iter()
            .find(|x| x.0 == size)
            .map_or(0.0, |x| x.1)
    };
    let mut out = String::from(
        "| GetFeature: bytes | ours per call | tonic-build per call |\n|---|---|---|\n",
    );
    for size in sizes {
        let (a, b) = (get(o, size), get(t, size));
        let _ = writeln!(
            out,
            "| {size} | {a:.2} | {b:.2} |{}",
            if (a - b).abs() > 0.05 { " differs" } else { "" }
        );
    }
    out
}

fn instr(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

/// Instructions per call (and per streamed message) under callgrind, every Rust server, with ratios to
/// tonic-build's.
pub fn instructions_table(rows: &[InstrRow]) -> String {
    let peers = ["ours", "tonic-build", "connect-rust", "ceiling"];
    let mut out = String::from(
        "| workload | ours | tonic-build | connect-rust | ceiling | ours / tonic-build | connect-rust / tonic-build | ceiling / tonic-build |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut seen = Vec::new();
    for r in rows {
        if seen.contains(&(r.kind, r.n)) {
            continue;
        }
        seen.push((r.kind, r.n));
        let find = |p: &str| {
            rows.iter()
                .find(|x| x.peer == p && x.kind == r.kind && x.n == r.n)
        };
        let cell = |p: &str| match find(p) {
            Some(x) if x.kind == Kind::Unary => instr(x.per_call),
            Some(x) => format!(
                "{} ({} per message)",
                instr(x.per_call),
                instr(x.per_message)
            ),
            None => "-".to_owned(),
        };
        let ratio = |p: &str| match (find(p), find("tonic-build")) {
            (Some(o), Some(t)) if t.per_call > 0.0 => format!("{:.3}", o.per_call / t.per_call),
            _ => "-".to_owned(),
        };
        let mut line = format!("| {} |", r.kind.label(r.n));
        for p in peers {
            let _ = write!(line, " {} |", cell(p));
        }
        for p in ["ours", "connect-rust", "ceiling"] {
            let _ = write!(line, " {} |", ratio(p));
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Client instructions per call, ours against tonic-build's.
pub fn client_table(rows: &[ClientInstrRow]) -> String {
    let mut out =
        String::from("| workload | ours | tonic-build | ours / tonic-build |\n|---|---|---|---|\n");
    let mut seen = Vec::new();
    for r in rows {
        if seen.contains(&(r.kind, r.n)) {
            continue;
        }
        seen.push((r.kind, r.n));
        let find = |c: &str| {
            rows.iter()
                .find(|x| x.client == c && x.kind == r.kind && x.n == r.n)
        };
        let cell = |c: &str| match find(c) {
            Some(x) if x.kind == Kind::Unary => instr(x.per_call),
            Some(x) => format!(
                "{} ({} per message)",
                instr(x.per_call),
                instr(x.per_message)
            ),
            None => "-".to_owned(),
        };
        let ratio = match (find("ours"), find("tonic-build")) {
            (Some(o), Some(t)) if t.per_call > 0.0 => format!("{:.3}", o.per_call / t.per_call),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {ratio} |",
            r.kind.label(r.n),
            cell("ours"),
            cell("tonic-build")
        );
    }
    out
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

/// The median figure of one peer in one group.
fn median_of(
    groups: &Groups,
    tool: &str,
    kind: Kind,
    pick: impl Fn(usize, usize, usize) -> bool,
    peer: Peer,
    f: impl Fn(&Run) -> Option<f64>,
) -> Option<f64> {
    groups
        .iter()
        .find(|((t, k, n, c, m), _)| t == tool && *k == kind && pick(*n, *c, *m))
        .and_then(|(_, by_peer)| figures(by_peer.get(&peer)?, f))
        .map(|s| s.median)
}

/// The goals of issue 15, checked against the figures.
fn goals(
    out: &mut String,
    groups: &Groups,
    allocs: Option<&[AllocRow]>,
    instructions: Option<&[InstrRow]>,
) {
    let mut lines = Vec::new();
    let rows = instructions.unwrap_or_default();
    let find = |peer: &str, kind: Kind, large: bool| {
        rows.iter().find(|r| {
            r.peer == peer && r.kind == kind && (!large || (r.kind == Kind::List && r.n >= 100_000))
        })
    };
    match (find("ours", Kind::Unary, false), find("tonic-build", Kind::Unary, false)) {
        (Some(o), Some(t)) => {
            let r = o.per_call / t.per_call;
            lines.push(format!(
                "- server instructions per unary call at most 0.85x tonic-build's: {} vs {} = {r:.3}x ({})",
                instr(o.per_call),
                instr(t.per_call),
                met(r <= 0.85)
            ));
        }
        _ => lines.push("- server instructions per unary call at most 0.85x tonic-build's: not counted in this run".to_owned()),
    }
    match (find("ours", Kind::List, true), find("tonic-build", Kind::List, true)) {
        (Some(o), Some(t)) => {
            let r = o.per_message / t.per_message;
            lines.push(format!(
                "- {}: server instructions per message at most 1/3 of tonic-build's: {} vs {} = {r:.3}x ({})",
                o.kind.label(o.n),
                instr(o.per_message),
                instr(t.per_message),
                met(r <= 1.0 / 3.0)
            ));
        }
        _ => lines.push("- ListFeatures 100k: instructions per message at most 1/3 of tonic-build's: not counted in this run".to_owned()),
    }
    for tool in ["h2load", "hello-bench"] {
        let large = median_of(
            groups,
            tool,
            Kind::List,
            |n, _, _| n >= 100_000,
            Peer::Ours,
            |r| Some(r.msgs_per_s),
        );
        if let Some(v) = large {
            lines.push(format!(
                "- at least 10M msgs/s on ListFeatures 100k, {tool} (median): {} ({})",
                rate(v),
                met(v >= 10e6)
            ));
        }
    }
    if let Some(o) = allocs
        .unwrap_or_default()
        .iter()
        .find(|r| r.which == Which::Ours && r.kind == Kind::Unary)
    {
        lines.push(format!(
            "- fewer than 33 heap allocations per unary call: {:.2} ({})",
            o.allocs_per_call,
            met(o.allocs_per_call < 33.0)
        ));
    }
    for ((tool, kind, _n, c, m), by_peer) in groups {
        let python = ratios(by_peer, Peer::Python).filter(|_| *kind == Kind::Unary && *m > 1);
        if let Some(s) = python {
            lines.push(format!(
                "- ours at least 15x python on GetFeature, {tool} ({c} x {m}): {}x ({})",
                ratio_fmt(s.median),
                met(s.median >= 15.0)
            ));
        }
    }
    // connect-rust beside ours: unloaded latency, unary throughput, the large stream, instructions.
    let lat = |peer| {
        median_of(
            groups,
            "hello-bench",
            Kind::Unary,
            |_, c, m| c == 1 && m == 1,
            peer,
            |r| r.latency_us.p50,
        )
    };
    let thr = |peer| {
        median_of(
            groups,
            "hello-bench",
            Kind::Unary,
            |_, c, m| c * m > 1,
            peer,
            |r| Some(r.calls_per_s),
        )
    };
    let stream = |peer| {
        median_of(
            groups,
            "hello-bench",
            Kind::List,
            |n, _, _| n >= 100_000,
            peer,
            |r| Some(r.msgs_per_s),
        )
    };
    let connect_instr = find("connect-rust", Kind::Unary, false);
    let present = lat(Peer::Connect).is_some() || connect_instr.is_some();
    let mut parts = Vec::new();
    if let (Some(o), Some(c)) = (lat(Peer::Ours), lat(Peer::Connect)) {
        parts.push(format!(
            "unloaded GetFeature p50 {o:.0} us ours vs {c:.0} us connect-rust"
        ));
    }
    if let (Some(o), Some(c)) = (thr(Peer::Ours), thr(Peer::Connect)) {
        parts.push(format!(
            "GetFeature 4 x 16 {} vs {} calls/s",
            rate(o),
            rate(c)
        ));
    }
    if let (Some(o), Some(c)) = (stream(Peer::Ours), stream(Peer::Connect)) {
        parts.push(format!(
            "ListFeatures 100k {} vs {} msgs/s",
            rate(o),
            rate(c)
        ));
    }
    if let (Some(o), Some(c)) = (find("ours", Kind::Unary, false), connect_instr) {
        parts.push(format!(
            "{} vs {} instructions per unary call",
            instr(o.per_call),
            instr(c.per_call)
        ));
    }
    lines.push(format!(
        "- connect-rust's latency and throughput beside ours ({}): {}",
        met(present),
        if parts.is_empty() {
            "not measured in this run".to_owned()
        } else {
            parts.join("; ")
        }
    ));
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
}

/// connect-rust against ours and tonic-build's: where it leads or trails, from this run's figures, and what
/// its code does differently (read in connectrpc 0.9.1's source).
fn connect_section(out: &mut String, groups: &Groups, rows: &[InstrRow]) {
    let find = |peer: &str, kind: Kind, large: bool| {
        rows.iter().find(|r| {
            r.peer == peer && r.kind == kind && (!large || (r.kind == Kind::List && r.n >= 100_000))
        })
    };
    let mut lines = Vec::new();
    for (kind, large, per) in [
        (Kind::Unary, false, "call"),
        (Kind::List, true, "message"),
        (Kind::Record, false, "message"),
        (Kind::Chat, false, "message"),
    ] {
        let (Some(c), Some(o), Some(t)) = (
            find("connect-rust", kind, large),
            find("ours", kind, large),
            find("tonic-build", kind, large),
        ) else {
            continue;
        };
        let pick = |r: &InstrRow| {
            if per == "call" {
                r.per_call
            } else {
                r.per_message
            }
        };
        lines.push(format!(
            "- {}: {} instructions per {per} against ours {} and tonic-build's {} ({:.2}x ours, {:.2}x tonic-build's): {}",
            c.kind.label(c.n),
            instr(pick(c)),
            instr(pick(o)),
            instr(pick(t)),
            pick(c) / pick(o),
            pick(c) / pick(t),
            if pick(c) < pick(o) * 0.98 {
                "**connect-rust leads ours**"
            } else if pick(c) > pick(o) * 1.02 {
                "ours leads"
            } else {
                "level within 2%"
            }
        ));
    }
    for ((tool, kind, n, c, m), by_peer) in groups {
        if let Some(s) = ratios_of(by_peer, Peer::Ours, Peer::Connect) {
            lines.push(format!(
                "- {tool} {} ({c} x {m}), throughput ours / connect-rust per round: {}",
                kind.label(*n),
                spread_cell(Some(s), ratio_fmt)
            ));
        }
    }
    let _ = writeln!(out, "## connect-rust beside ours\n");
    let _ = writeln!(
        out,
        "`connect-server` runs connect-rust's own hyper server with its generated dispatcher, gRPC protocol \
         (the load tools send `application/grpc`), the same feature database, route statistics and note store \
         as the other Rust servers; messages are converted between buffa's structs and the demo's (one string \
         copy per message, as prost's decoding makes). From this run:\n"
    );
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(
        out,
        "\nWhat its code does differently (connectrpc 0.9.1), and what applies to us:\n\n\
         - **A gRPC unary fast path** (`handle_grpc_unary_request`): the request body is collected whole under a \
         size limit, the 5-byte envelope is read inline, the handler's answer is encoded once and sent as a \
         two-frame body (`GrpcUnaryBody`: the data, then the trailers), with no response stream and no stream \
         encoder. tonic, under both ours and tonic-build's, answers a unary call through the same `EncodeBody` \
         stream machinery as a server stream. *Applies to us*: a unary path of our own in the generated server.\n\
         - **Its own serving stack**: a hyper-util accept loop and one `ConnectRpcService` whose generated \
         dispatcher matches the method name (its `Router` looks methods up in a hash map behind trait objects; the \
         generated dispatcher, used here, does neither), with no tonic `transport::Server` layers and no `Routes` router in front. *Applies to us*: \
         issue 15 allows serving our tower services on hyper-util directly; the table by crate above shows what \
         the tonic layers cost per call (`tonic`, `http_body_util`, part of `tokio` and `core`).\n\
         - **Zero-copy requests**: buffa decodes a request into a view that borrows from the request bytes, so \
         strings are not copied unless the handler copies them. Our handlers take owned prost messages; for the \
         small messages here the copy is a few allocations per call (see the `libc` row: malloc, free, memcpy).\n\
         - **Its streams cost more**: each streamed message is encoded into a `Bytes` of its own \
         (`Encodable::encode_segments`, through `futures::stream::unfold`) and then copied into a batch buffer \
         (`BatchingEnvelopeStream`) that is flushed when the handler's stream is pending: two allocations and a \
         copy per message, where tonic encodes straight into one buffer. *Does not apply*: our stream encoding \
         is already cheaper per message; prepared messages (issue 15, item 3) are the way below it.\n\
         - **Its client and bidi streams cost far more**: each such call spawns a task that reads the request \
         body and hands each message to the handler through a `tokio::sync::mpsc` channel of capacity 1 \
         (`spawn_body_reader`), so the handler's stream goes pending between messages and each answer leaves \
         in a DATA frame of its own. In RouteChat 100 (`scripts/bench.sh --profile chat`) its own \
         instructions in `h2` and `tokio` were about 396k and 286k per call against ours' 20k and 3k. *Does \
         not apply*: tonic decodes the messages already received in place.\n"
    );
}

/// Writes the report from a suite's output directory.
pub fn write_from_dir(dir: &Path, report: &Path) -> Result<(), String> {
    let runs_text = std::fs::read_to_string(dir.join("runs.jsonl"))
        .map_err(|e| format!("cannot read {}: {e}", dir.join("runs.jsonl").display()))?;
    let runs: Vec<Run> = runs_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("bad runs.jsonl: {e}"))?;
    let meta: Meta = read_json(&dir.join("meta.json")).unwrap_or_default();
    let allocs: Option<Vec<AllocRow>> = read_json(&dir.join("alloc.json"));
    let build: Option<BuildCost> = read_json(&dir.join("buildcost.json"));
    let instructions: Option<Vec<InstrRow>> = read_json(&dir.join("instructions.json"));
    let profiles: Option<Vec<Profile>> = read_json(&dir.join("profiles.json"));
    let clients: Option<Vec<ClientInstrRow>> = read_json(&dir.join("client_instructions.json"));
    let connect: Option<Vec<InstrRow>> = read_json(&dir.join("connect_instructions.json"));
    let text = render(
        &runs,
        &meta,
        allocs.as_deref(),
        build.as_ref(),
        Counts {
            servers: instructions.as_deref(),
            profiles: profiles.as_deref(),
            clients: clients.as_deref(),
            connect: connect.as_deref(),
        },
    );
    std::fs::write(report, text).map_err(|e| format!("cannot write {}: {e}", report.display()))
}

/// What callgrind counted: the servers, their top functions, the clients.
#[derive(Default, Clone, Copy)]
pub struct Counts<'a> {
    pub servers: Option<&'a [InstrRow]>,
    pub profiles: Option<&'a [Profile]>,
    pub clients: Option<&'a [ClientInstrRow]>,
    /// GetFeature over gRPC and Connect (issue 14).
    pub connect: Option<&'a [InstrRow]>,
}

/// The whole Markdown text.
pub fn render(
    runs: &[Run],
    meta: &Meta,
    allocs: Option<&[AllocRow]>,
    build: Option<&BuildCost>,
    counts: Counts<'_>,
) -> String {
    let instructions = counts.servers;
    let groups = group(runs);
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(
        w,
        "Our macro's generated server (`hello-server`) against tonic-build's generated server for the same \
         proto with the same handlers (`tonic-build-server`), connect-rust's server for the same proto \
         (`connect-server`: crates `connectrpc` and `connectrpc-build`, buffa messages, generated from protox's \
         descriptors, the same handlers' logic), the seed's Python server (grpcio), and a bare hyper HTTP/2 server \
         answering canned bytes (the ceiling). Every figure below is from one run: `{}` on {}; the load part took \
         {:.0} s ({:.0} s in all). The instruction counts (callgrind) are what changes are steered by; calls \
         per second and latencies are the user-facing figures beside them.\n",
        meta.invocation, meta.date, meta.bench_seconds, meta.total_seconds
    );
    let _ = writeln!(
        w,
        "How busy the machine was: 1-minute, 5-minute, 15-minute load averages on {} cores before the run: \
         {}; at the end of the load part: {}.{}\n",
        meta.cores,
        meta.loadavg.first().map_or("-", String::as_str),
        meta.loadavg.last().map_or("-", String::as_str),
        if meta.machine_note.is_empty() {
            String::new()
        } else {
            format!(" {}", meta.machine_note)
        }
    );
    // Other work on the machine shows in the load averages: say so before any figure is read.
    let busiest = meta
        .loadavg
        .iter()
        .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .fold(0.0, f64::max);
    if busiest > meta.cores as f64 + 0.5 {
        let _ = writeln!(
            w,
            "**This run shared the machine with other work** (1-minute load average up to {busiest:.1} on {} \
             cores): the pinned servers and load tools got only part of their cores, so calls per second are \
             held down for every server alike and the ratios between them are compressed towards 1 (see the CPU \
             figures). The callgrind instruction counts and the allocation counts do not depend on it. Run \
             `scripts/bench.sh` on a quiet machine for throughput to quote.\n",
            meta.cores
        );
    }
    let _ = writeln!(w, "## Goals (issue 15)\n");
    goals(w, &groups, allocs, instructions);
    let _ = writeln!(w);
    if let Some(rows) = instructions {
        let _ = writeln!(w, "## Instructions per call on the server (callgrind)\n");
        let _ = writeln!(
            w,
            "Each server under valgrind's callgrind, pinned as below: h2load makes a warm-up, the counters are \
             zeroed, h2load makes a fixed number of calls (2 connections x 4 in flight), and every instruction \
             the server's process ran is divided by the calls. A count, not a time: other work on the machine \
             does not change it. Ratios to tonic-build's: below 1, fewer instructions than tonic-build.\n"
        );
        let _ = writeln!(w, "{}", instructions_table(rows));
    }
    if let Some(profiles) = counts.profiles {
        let _ = writeln!(
            w,
            "## Where the instructions of a unary call go (callgrind, GetFeature)\n"
        );
        let _ = writeln!(
            w,
            "From the same dumps as the GetFeature row above: each function's own instructions (not those of the \
             functions it calls), per call. `scripts/bench.sh --profile unary` makes these tables alone (about a \
             minute after the build); the whole list per server is in \
             `target/bench/callgrind/<server>-GetFeature-1.1.annotated.txt`.\n"
        );
        let _ = writeln!(
            w,
            "{}",
            crate::profile::tables(profiles, crate::suite::PROFILE_TOP)
        );
    }
    if let Some(rows) = instructions
        && rows.iter().any(|r| r.peer == "connect-rust")
    {
        connect_section(w, &groups, rows);
    }
    if let Some(rows) = counts.connect {
        let _ = writeln!(
            w,
            "## The Connect layer per unary call (callgrind, GetFeature)\n"
        );
        let _ = writeln!(w, "{}", crate::connect_cost::section(rows));
        let _ = writeln!(
            w,
            "`scripts/bench.sh --connect` makes this table alone, with each one's top functions \
             (`target/bench/connect-cost.md`).\n"
        );
    }
    if let Some(rows) = counts.clients {
        let _ = writeln!(w, "## Instructions per call on the client (callgrind)\n");
        let _ = writeln!(
            w,
            "`client-bench` under callgrind, one generated client (our macro's `HelloClient` or tonic-build's), \
             one thread, calls one at a time over one `tonic::transport::Channel` against the ceiling server \
             (canned answers, not counted); counters zeroed after the warm-up calls. Every instruction of the \
             client's process, divided by the calls: the client stack, not the load generator.\n"
        );
        let _ = writeln!(w, "{}", client_table(rows));
    }
    for (tool, title) in [
        (
            "hello-bench",
            "Throughput, hello-bench (our load generator)",
        ),
        ("h2load", "Throughput, h2load (nghttp2)"),
    ] {
        if !runs.iter().any(|r| r.tool == tool) {
            continue;
        }
        let _ = writeln!(w, "## {title}\n");
        let _ = writeln!(
            w,
            "Median over {} rounds (min..max). Ratios are per round (the runs of a round are side by side), \
             median (min..max).\n",
            meta.rounds
        );
        throughput_table(w, &groups, tool);
        let _ = writeln!(w);
        if tool == "h2load" {
            let _ = writeln!(
                w,
                "Mean latency in microseconds (h2load gives no percentiles), and the server's CPU use over the \
                 window (100% = its whole core):\n"
            );
        } else {
            let _ = writeln!(
                w,
                "Latency p50 / p99 / p99.9 in microseconds (medians over rounds), and the CPU use over the window \
                 of the server and of the load tool (100% = a whole core; when neither is near 100%, other work \
                 on the machine held them back):\n"
            );
        }
        latency_table(w, &groups, tool);
        let _ = writeln!(w);
    }
    if let Some(rows) = allocs {
        let _ = writeln!(w, "## Heap allocations on the server side\n");
        let _ = writeln!(
            w,
            "`alloc-bench`: both generated servers in one process, bare `tonic::transport::Server`s with the same \
             RouteGuide, a counting global allocator that counts only the server's thread, calls one at a time \
             over a real socket after a warm-up. Per call for GetFeature and ListFeatures 10, per streamed \
             message otherwise.\n"
        );
        let _ = writeln!(w, "{}", alloc_table(rows));
    }
    let _ = writeln!(w, "## Build cost\n");
    match build {
        Some(b) => {
            let med = |v: &[f64]| Spread::of(v).map_or(0.0, |s| s.median);
            let _ = writeln!(
                w,
                "The same service as a crate of its own, clean `cargo build --release` in a fresh target \
                 directory (dependencies included), then rebuilds after touching the definition (median of 3). \
                 Measured {} by `scripts/bench.sh --build-cost`.\n",
                b.measured_at
            );
            let _ = writeln!(
                w,
                "| | ours (trait + macro) | tonic-build (proto + build.rs) |"
            );
            let _ = writeln!(w, "|---|---|---|");
            let _ = writeln!(
                w,
                "| clean release build | {:.1} s | {:.1} s |",
                b.ours_clean_s, b.theirs_clean_s
            );
            let _ = writeln!(
                w,
                "| rebuild after touching the trait / the proto | {:.2} s | {:.2} s |\n",
                med(&b.ours_touch_s),
                med(&b.theirs_touch_s)
            );
            for c in &b.commands {
                let _ = writeln!(w, "    {c}");
            }
            let _ = writeln!(w);
        }
        None => {
            let _ = writeln!(
                w,
                "Not measured in this run: `scripts/bench.sh --build-cost` adds it (slow: two clean release builds).\n"
            );
        }
    }
    let _ = writeln!(w, "## Machine and versions\n");
    let _ = writeln!(w, "- CPU: {} x {}", meta.cores, meta.cpu_model);
    let _ = writeln!(w, "- kernel: {}", meta.kernel);
    for (k, v) in &meta.versions {
        let _ = writeln!(w, "- {k}: {v}");
    }
    if !meta.binaries_built.is_empty() {
        let _ = writeln!(
            w,
            "- the servers' binaries were built {} from the working tree as it was then (other helpers' \
             uncommitted changes included when `git describe` says dirty)",
            meta.binaries_built
        );
    }
    let _ = writeln!(
        w,
        "- servers pinned to core {}, load to core {} (`taskset`); load average before each round and at the end: {}",
        meta.server_core,
        meta.load_core,
        meta.loadavg.join("; ")
    );
    let _ = writeln!(
        w,
        "- each run: a fresh server, {} s warm-up, {} s measured\n",
        meta.warmup_s, meta.duration_s
    );
    let _ = writeln!(w, "## How the figures are made\n");
    let _ = writeln!(
        w,
        "- hello-bench speaks HTTP/2 itself (the h2 crate) with pre-encoded request bodies and counts response \
         messages by their gRPC prefix, so it costs the same for every server; each call must end with HTTP 200, \
         grpc-status 0 and the expected number of messages, anything else is an error (shown above if any).\n\
         - Messages: ListFeatures counts features received, RecordRoute points sent, RouteChat notes received \
         (the Rust servers run with `--notes-per-location 1` and all notes at one place, so each note is \
         answered by the one before it; the Python server echoes each note).\n\
         - ListFeatures runs use a database of exactly N small grid features (`f0`, `f1`, ...), and a rectangle \
         around all of them. The Python server always answers 10 features, so it runs only ListFeatures 10.\n\
         - h2load sends the same request bodies; it checks each response's HTTP status. gRPC statuses are checked \
         by `nghttp -v` calls before and after each run and by the DATA volume of the run.\n\
         - The ceiling answers with the bytes our server sends for the same request (RouteChat: echoes the \
         request), with no protobuf work per call.\n"
    );
    let _ = writeln!(w, "## Commands (round 1)\n");
    let _ = writeln!(w, "```");
    for r in runs.iter().filter(|r| r.round == 1) {
        let _ = writeln!(w, "{}", r.command);
    }
    let _ = writeln!(w, "```");
    out
}
