//! BENCHMARKS.md from a suite's results: the tables with medians, min..max and ratios, the machine, the
//! versions, and the exact commands.

use crate::alloc::{AllocRow, Which};
use crate::buildcost::BuildCost;
use crate::instructions::InstrRow;
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
                first_line("git", &["describe", "--always", "--dirty"]),
            ),
            ("rustc".to_owned(), first_line("rustc", &["--version"])),
        ];
        for name in ["tonic", "prost", "hyper", "h2", "tokio"] {
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
    let ours = by_peer.get(&Peer::Ours)?;
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
        "| workload | conns x in flight | unit | ours | tonic-build | python | ceiling | ours/tonic-build | ours/python | ours/ceiling |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
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
        for other in [Peer::TonicBuild, Peer::Python, Peer::Ceiling] {
            let _ = write!(row, " {} |", spread_cell(ratios(by_peer, other), ratio_fmt));
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
        "| workload | conns x in flight | ours | tonic-build | python | ceiling |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
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

/// Instructions per call (and per streamed message) under callgrind.
pub fn instructions_table(rows: &[InstrRow]) -> String {
    let mut out = String::from(
        "| workload | ours | tonic-build | ceiling | tonic-build / ours |\n|---|---|---|---|---|\n",
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
        let ratio = match (find("ours"), find("tonic-build")) {
            (Some(o), Some(t)) if o.per_call > 0.0 => format!("{:.3}", t.per_call / o.per_call),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {ratio} |",
            r.kind.label(r.n),
            cell("ours"),
            cell("tonic-build"),
            cell("ceiling")
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

/// The goals of issue 5, checked against the figures.
fn goals(
    out: &mut String,
    groups: &Groups,
    allocs: Option<&[AllocRow]>,
    instructions: Option<&[InstrRow]>,
) {
    let mut lines = Vec::new();
    for ((tool, kind, n, c, m), by_peer) in groups {
        let label = kind.label(*n);
        if let Some(s) = ratios(by_peer, Peer::TonicBuild) {
            lines.push(format!(
                "- ours/tonic-build >= 1.00, {tool} {label} ({c} x {m}): {} ({})",
                ratio_fmt(s.median),
                met(s.median >= 1.0)
            ));
        }
        let python = ratios(by_peer, Peer::Python).filter(|_| *kind == Kind::Unary && *m > 1);
        if let Some(s) = python {
            lines.push(format!(
                "- ours >= 15x python on {label}, {tool} ({c} x {m}): {}x ({})",
                ratio_fmt(s.median),
                met(s.median >= 15.0)
            ));
        }
        let large = by_peer
            .get(&Peer::Ours)
            .filter(|_| *kind == Kind::List && *n >= 100_000)
            .and_then(|rs| figures(rs, |r| Some(r.msgs_per_s)));
        if let Some(s) = large {
            lines.push(format!(
                "- ours >= 10M msgs/s on {label}, {tool}: {} ({})",
                rate(s.median),
                met(s.median >= 10e6)
            ));
        }
    }
    if let Some(rows) = allocs {
        let unary = |w: Which| rows.iter().find(|r| r.which == w && r.kind == Kind::Unary);
        if let (Some(o), Some(t)) = (unary(Which::Ours), unary(Which::TonicBuild)) {
            lines.push(format!(
                "- fewer heap allocations per unary call than tonic-build: {:.2} vs {:.2} ({})",
                o.allocs_per_call,
                t.allocs_per_call,
                met(o.allocs_per_call < t.allocs_per_call)
            ));
        }
    }
    for o in instructions
        .unwrap_or_default()
        .iter()
        .filter(|r| r.peer == "ours")
    {
        let t = instructions
            .unwrap_or_default()
            .iter()
            .find(|t| t.peer == "tonic-build" && t.kind == o.kind && t.n == o.n);
        if let Some(t) = t {
            lines.push(format!(
                "- no more server instructions per call than tonic-build (callgrind), {}: {} vs {} ({})",
                o.kind.label(o.n),
                instr(o.per_call),
                instr(t.per_call),
                met(o.per_call <= t.per_call)
            ));
        }
    }
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
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
    let text = render(
        &runs,
        &meta,
        allocs.as_deref(),
        build.as_ref(),
        instructions.as_deref(),
    );
    std::fs::write(report, text).map_err(|e| format!("cannot write {}: {e}", report.display()))
}

/// The whole Markdown text.
pub fn render(
    runs: &[Run],
    meta: &Meta,
    allocs: Option<&[AllocRow]>,
    build: Option<&BuildCost>,
    instructions: Option<&[InstrRow]>,
) -> String {
    let groups = group(runs);
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(
        w,
        "Our macro's generated server (`hello-server`) against tonic-build's generated server for the same \
         proto with the same handlers (`tonic-build-server`), the seed's Python server (grpcio), and a bare \
         hyper HTTP/2 server answering canned bytes (the ceiling). Made by `{}` on {}; the benchmark part took \
         {:.0} s ({:.0} s in all).\n",
        meta.invocation, meta.date, meta.bench_seconds, meta.total_seconds
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
    let _ = writeln!(w, "## Goals\n");
    goals(w, &groups, allocs, instructions);
    let _ = writeln!(w);
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
    if let Some(rows) = instructions {
        let _ = writeln!(w, "## Instructions per call on the server (callgrind)\n");
        let _ = writeln!(
            w,
            "Each server under valgrind's callgrind, pinned as above: h2load makes a warm-up, the counters are \
             zeroed, h2load makes a fixed number of calls (2 connections x 4 in flight), and every instruction \
             the server's process ran is divided by the calls. A count, not a time: other work on the machine \
             does not change it. Above 1 in the last column: ours runs fewer instructions.\n"
        );
        let _ = writeln!(w, "{}", instructions_table(rows));
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
