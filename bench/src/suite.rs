//! The whole benchmark, as `scripts/bench.sh` runs it: every server started fresh for each run and pinned to one
//! core, the load pinned to the other, rounds interleaved (ours, tonic-build, python, ceiling; then again),
//! results kept as JSON lines, then the allocation count and (opt-in) the build cost, then BENCHMARKS.md.

use crate::report::{self, Meta};
use crate::stats::Run;
use crate::workload::{self, Kind};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The servers measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Peer {
    Ours,
    TonicBuild,
    /// connect-rust (`connectrpc`), its own server and buffa messages: bench/connect-peer.
    Connect,
    Python,
    Ceiling,
}

impl Peer {
    pub const ALL: [Peer; 5] = [
        Peer::Ours,
        Peer::TonicBuild,
        Peer::Connect,
        Peer::Python,
        Peer::Ceiling,
    ];
    /// The Rust servers, whose instructions are counted.
    pub const RUST: [Peer; 4] = [Peer::Ours, Peer::TonicBuild, Peer::Connect, Peer::Ceiling];

    pub fn name(self) -> &'static str {
        match self {
            Peer::Ours => "ours",
            Peer::TonicBuild => "tonic-build",
            Peer::Connect => "connect-rust",
            Peer::Python => "python",
            Peer::Ceiling => "ceiling",
        }
    }
}

/// The load tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    HelloBench,
    H2load,
}

/// One measured workload, run against several peers each round.
#[derive(Debug, Clone)]
pub struct Case {
    pub tool: Tool,
    pub kind: Kind,
    pub n: usize,
    pub connections: usize,
    pub in_flight: usize,
    pub peers: Vec<Peer>,
}

/// The default cases: every Rust server in each (unary latency unloaded is GetFeature 1 x 1). The seed's Python server answers ListFeatures with 10 features whatever is asked and
/// RecordRoute after the first point, so it runs GetFeature, ListFeatures 10 and RouteChat (it echoes).
pub fn default_cases(list_large: usize, stream_n: usize) -> Vec<Case> {
    use Peer::*;
    let all = vec![Ours, TonicBuild, Connect, Python, Ceiling];
    let no_py = vec![Ours, TonicBuild, Connect, Ceiling];
    let case = |tool, kind, n, connections, in_flight, peers: &Vec<Peer>| Case {
        tool,
        kind,
        n,
        connections,
        in_flight,
        peers: peers.clone(),
    };
    vec![
        case(Tool::HelloBench, Kind::Unary, 1, 1, 1, &all),
        case(Tool::HelloBench, Kind::Unary, 1, 4, 16, &all),
        case(Tool::HelloBench, Kind::List, 10, 4, 16, &all),
        case(Tool::HelloBench, Kind::List, list_large, 2, 2, &no_py),
        case(Tool::HelloBench, Kind::Record, stream_n, 4, 8, &no_py),
        case(Tool::HelloBench, Kind::Chat, stream_n, 4, 8, &all),
        case(Tool::H2load, Kind::Unary, 1, 4, 16, &all),
        case(Tool::H2load, Kind::List, 10, 4, 16, &all),
        case(Tool::H2load, Kind::List, list_large, 2, 2, &no_py),
    ]
}

/// Everything the suite needs to know.
#[derive(Debug, Clone)]
pub struct SuiteOpts {
    /// Where `hello-server`, `tonic-build-server`, `ceiling-server`, `hello-bench`, `alloc-bench` are.
    pub bin_dir: PathBuf,
    /// Scratch: logs, feature files, JSON results.
    pub out_dir: PathBuf,
    /// The Markdown report to write.
    pub report: PathBuf,
    pub rounds: u32,
    pub warmup: Duration,
    pub duration: Duration,
    pub cases: Vec<Case>,
    /// The venv's python and the gen directory of scripts/python-env.sh.
    pub python: Option<(PathBuf, PathBuf)>,
    pub server_core: String,
    pub load_core: String,
    /// Allocation benchmark: calls per kind (0: skip).
    pub alloc_calls: usize,
    /// Measure build cost (slow: two clean release builds).
    pub build_cost: bool,
    /// Count instructions per call under callgrind: (large ListFeatures n, stream n), or None to skip.
    pub instructions: Option<(usize, usize)>,
    /// Fewer callgrind cases and calls (`scripts/bench.sh --quick`).
    pub quick_instructions: bool,
    pub repo_root: PathBuf,
    /// How the suite was invoked, for the report.
    pub invocation: String,
    /// What else ran on the machine, for the report.
    pub machine_note: String,
}

/// A server process started for one run; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub command: String,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn show(cmd: &Command) -> String {
    let mut s: Vec<String> = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    s.push(cmd.get_program().to_string_lossy().into_owned());
    s.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    s.join(" ")
}

fn start_server(mut cmd: Command, log: &Path) -> Result<Server, String> {
    let command = show(&cmd);
    let log_file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {command}: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(60)).map_err(|_| {
        let _ = child.kill();
        format!(
            "{command} did not say `listening on ...` within 60 s (see {})",
            log.display()
        )
    })?;
    let addr = line
        .strip_prefix("listening on ")
        .and_then(|a| a.trim().parse().ok())
        .ok_or_else(|| format!("{command}: first line was {line:?}, not `listening on <addr>`"))?;
    Ok(Server {
        child,
        addr,
        command,
    })
}

impl SuiteOpts {
    fn features_file(&self, n: usize) -> Result<PathBuf, String> {
        let path = self.out_dir.join(format!("features-{n}.json"));
        if !path.exists() {
            fs::write(&path, workload::features_json(n))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(path)
    }

    fn pinned(&self, core: &str, program: impl AsRef<std::ffi::OsStr>) -> Command {
        self.pinned_wrapped(core, &[], program)
    }

    /// `taskset -c core [wrap...] program`.
    fn pinned_wrapped(
        &self,
        core: &str,
        wrap: &[String],
        program: impl AsRef<std::ffi::OsStr>,
    ) -> Command {
        let mut c = Command::new("taskset");
        c.arg("-c").arg(core).args(wrap).arg(program);
        c
    }

    /// Starts a server of `peer` for `case` under `wrap` (e.g. valgrind), pinned to the server core.
    pub fn start_server_wrapped(
        &self,
        peer: Peer,
        case: &Case,
        wrap: &[String],
        log: &Path,
    ) -> Result<Server, String> {
        start_server(self.server_command_wrapped(peer, case, wrap)?, log)
    }

    fn server_command(&self, peer: Peer, case: &Case) -> Result<Command, String> {
        self.server_command_wrapped(peer, case, &[])
    }

    fn server_command_wrapped(
        &self,
        peer: Peer,
        case: &Case,
        wrap: &[String],
    ) -> Result<Command, String> {
        let rust_server = |bin: &str| -> Result<Command, String> {
            let mut c = self.pinned_wrapped(&self.server_core, wrap, self.bin_dir.join(bin));
            c.args(["--addr", "127.0.0.1:0", "--notes-per-location", "1"]);
            if case.kind == Kind::List {
                c.arg("--features").arg(self.features_file(case.n)?);
            }
            // Only warnings: the same (quiet) logging for both.
            c.env("RUST_LOG", "warn");
            Ok(c)
        };
        match peer {
            Peer::Ours => rust_server("hello-server"),
            Peer::TonicBuild => rust_server("tonic-build-server"),
            Peer::Connect => rust_server("connect-server"),
            Peer::Ceiling => {
                let mut c = self.pinned_wrapped(
                    &self.server_core,
                    wrap,
                    self.bin_dir.join("ceiling-server"),
                );
                c.args(["--addr", "127.0.0.1:0", "--list-n", &case.n.to_string()]);
                Ok(c)
            }
            Peer::Python => {
                let (python, gen_dir) = self
                    .python
                    .as_ref()
                    .ok_or("no Python peer configured (--python, --python-gen)")?;
                let mut c = self.pinned_wrapped(&self.server_core, wrap, python);
                c.arg(gen_dir.join("hello_server.py"));
                c.env("HELLO_ADDR", "127.0.0.1:0");
                Ok(c)
            }
        }
    }

    fn load_command(&self, case: &Case, peer: Peer, server: &Server) -> Command {
        let mut c = self.pinned(&self.load_core, self.bin_dir.join("hello-bench"));
        c.arg(match case.tool {
            Tool::HelloBench => "run",
            Tool::H2load => "h2load",
        });
        c.arg("--addr").arg(server.addr.to_string());
        c.args(["--peer", peer.name()]);
        c.arg("--kind")
            .arg(format!("{:?}", case.kind).to_lowercase());
        c.arg("--n").arg(case.n.to_string());
        c.arg("-c").arg(case.connections.to_string());
        c.arg("-m").arg(case.in_flight.to_string());
        c.arg("--warmup").arg(self.warmup.as_secs_f64().to_string());
        c.arg("--duration")
            .arg(self.duration.as_secs_f64().to_string());
        c.arg("--server-pid").arg(server.child.id().to_string());
        if case.tool == Tool::H2load {
            c.arg("--work-dir").arg(&self.out_dir);
        }
        c
    }

    fn one_run(&self, case: &Case, peer: Peer, round: u32) -> Result<Run, String> {
        let log = self
            .out_dir
            .join("logs")
            .join(format!("{}.log", peer.name()));
        let server = start_server(self.server_command(peer, case)?, &log)?;
        let mut load = self.load_command(case, peer, &server);
        let load_cmd = show(&load);
        let out = load
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {load_cmd}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{load_cmd} failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().last().unwrap_or_default();
        let mut run: Run = serde_json::from_str(line)
            .map_err(|e| format!("{load_cmd}: bad JSON ({e}): {line}"))?;
        run.round = round;
        let inner = std::mem::take(&mut run.command);
        run.command = format!("server: {}\nload: {}", server.command, load_cmd);
        if !inner.is_empty() {
            run.command = format!("{}\n  which runs: {inner}", run.command);
        }
        Ok(run)
    }

    /// Runs every case, rounds interleaved, appending each run to `runs.jsonl`; then the rest; then the report.
    pub fn run(&self) -> Result<(), String> {
        fs::create_dir_all(self.out_dir.join("logs"))
            .map_err(|e| format!("cannot create {}: {e}", self.out_dir.display()))?;
        let runs_path = self.out_dir.join("runs.jsonl");
        let mut runs_file = fs::File::create(&runs_path)
            .map_err(|e| format!("cannot create {}: {e}", runs_path.display()))?;
        let started = Instant::now();
        let mut meta = Meta::gather(self);
        let total: usize =
            self.cases.iter().map(|c| c.peers.len()).sum::<usize>() * self.rounds as usize;
        let mut done = 0;
        let mut runs = Vec::new();
        for round in 1..=self.rounds {
            meta.loadavg.push(report::loadavg());
            for case in &self.cases {
                for &peer in &case.peers {
                    done += 1;
                    let run = self.one_run(case, peer, round)?;
                    eprintln!(
                        "[{done}/{total} {:>4.0}s] round {round} {:<8} {:<18} c{} m{} {:<11} {} {}",
                        started.elapsed().as_secs_f64(),
                        run.tool,
                        case.kind.label(case.n),
                        case.connections,
                        case.in_flight,
                        peer.name(),
                        report::one_line(&run),
                        if run.errors > 0 {
                            format!("ERRORS {:?}", run.error_detail)
                        } else {
                            String::new()
                        }
                    );
                    let _ = writeln!(
                        runs_file,
                        "{}",
                        serde_json::to_string(&run).unwrap_or_default()
                    );
                    runs.push(run);
                }
            }
        }
        meta.loadavg.push(report::loadavg());
        meta.bench_seconds = started.elapsed().as_secs_f64();

        if self.alloc_calls > 0 {
            eprintln!("allocation count: {} calls per kind ...", self.alloc_calls);
            let out = Command::new(self.bin_dir.join("alloc-bench"))
                .args(["--calls", &self.alloc_calls.to_string(), "--json"])
                .output()
                .map_err(|e| format!("cannot run alloc-bench: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "alloc-bench failed:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            fs::write(self.out_dir.join("alloc.json"), &out.stdout)
                .map_err(|e| format!("cannot write alloc.json: {e}"))?;
        }
        if let Some((list_large, stream_n)) = self.instructions {
            self.count_instructions(list_large, stream_n)?;
        }
        if self.build_cost {
            let cost = crate::buildcost::measure(&self.repo_root, &self.out_dir.join("buildcost"))?;
            fs::write(
                self.out_dir.join("buildcost.json"),
                serde_json::to_string_pretty(&cost).unwrap_or_default(),
            )
            .map_err(|e| format!("cannot write buildcost.json: {e}"))?;
        }
        meta.total_seconds = started.elapsed().as_secs_f64();
        fs::write(
            self.out_dir.join("meta.json"),
            serde_json::to_string_pretty(&meta).unwrap_or_default(),
        )
        .map_err(|e| format!("cannot write meta.json: {e}"))?;
        report::write_from_dir(&self.out_dir, &self.report)?;
        eprintln!(
            "wrote {} ({:.0} s)",
            self.report.display(),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Instructions per call under callgrind: every Rust server on each workload, the top functions of the
    /// unary servers, and the generated clients. Writes instructions.json, profiles.json and
    /// client_instructions.json.
    fn count_instructions(&self, list_large: usize, stream_n: usize) -> Result<(), String> {
        let cases = if self.quick_instructions {
            crate::instructions::quick_cases(list_large)
        } else {
            crate::instructions::cases(list_large, stream_n)
        };
        let mut rows = Vec::new();
        for &(kind, n, calls) in &cases {
            for peer in Peer::RUST {
                let row = crate::instructions::measure(self, peer, kind, n, calls)?;
                eprintln!(
                    "instructions: {:<18} {:<12} {:>10.0} per call, {:>8.0} per message",
                    kind.label(n),
                    peer.name(),
                    row.per_call,
                    row.per_message
                );
                rows.push(row);
            }
        }
        write_json(&self.out_dir.join("instructions.json"), &rows)?;

        let mut profiles = Vec::new();
        for row in rows.iter().filter(|r| r.kind == Kind::Unary) {
            let p = crate::profile::of_row(row, PROFILE_TOP)?;
            let text = PathBuf::from(format!("{}.annotated.txt", row.dump));
            fs::write(&text, &p.annotated)
                .map_err(|e| format!("cannot write {}: {e}", text.display()))?;
            profiles.push(p);
        }
        write_json(&self.out_dir.join("profiles.json"), &profiles)?;

        // GetFeature over Connect beside gRPC (issue 14), as many calls as the unary case above.
        let unary_calls = cases
            .iter()
            .find(|c| c.0 == Kind::Unary)
            .map_or(2000, |c| c.2);
        let connect_rows = crate::connect_cost::measure(self, unary_calls)?;
        write_json(
            &self.out_dir.join("connect_instructions.json"),
            &connect_rows,
        )?;

        let mut client_rows = Vec::new();
        for (kind, n, calls) in crate::client_instructions::cases(stream_n, self.quick_instructions)
        {
            for client in crate::client_instructions::CLIENTS {
                let row = crate::client_instructions::measure(self, client, kind, n, calls)?;
                eprintln!(
                    "client instructions: {:<18} {:<12} {:>10.0} per call, {:>8.0} per message",
                    kind.label(n),
                    client,
                    row.per_call,
                    row.per_message
                );
                client_rows.push(row);
            }
        }
        write_json(&self.out_dir.join("client_instructions.json"), &client_rows)
    }
}

/// Functions listed per profile.
pub const PROFILE_TOP: usize = 15;

fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), String> {
    fs::write(
        path,
        serde_json::to_string_pretty(value).unwrap_or_default(),
    )
    .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
