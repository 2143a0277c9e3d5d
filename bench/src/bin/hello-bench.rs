//! `hello-bench`: load generator for any `hello.Hello` server, and the benchmark suite (`hello-bench suite`,
//! run by `scripts/bench.sh`). See `hello-bench --help`.

use clap::{Args, Parser, Subcommand};
use hello_bench::h2load::{self, H2loadSpec};
use hello_bench::load::{self, LoadSpec};
use hello_bench::report;
use hello_bench::suite::{self, SuiteOpts};
use hello_bench::workload::{self, Kind};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "hello-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Drive a server with our load generator; prints a summary on stderr and the result as JSON on stdout
    Run(LoadArgs),
    /// Drive a server with h2load (request bodies made from our messages); same output as `run`
    H2load {
        #[command(flatten)]
        load: LoadArgs,
        /// Where to write the request body file
        #[arg(long, default_value = "target/bench")]
        work_dir: PathBuf,
    },
    /// Write the feature database of N grid features that ListFeatures runs use (JSON, for --features)
    Features {
        #[arg(long)]
        n: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the request body of one call (framed messages), e.g. for h2load -d or curl
    Body {
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long, default_value_t = 10)]
        n: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Run the whole benchmark and write BENCHMARKS.md (scripts/bench.sh calls this)
    Suite(SuiteArgs),
    /// Time clean and touched release builds, ours against tonic-build's (writes DIR/buildcost.json)
    BuildCost {
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
    },
    /// Where each Rust server's instructions go on one workload: callgrind's count, then `callgrind_annotate`'s
    /// top functions per call (writes OUT_DIR/profile-<method>.md and the whole annotations beside the dumps)
    Profile(ProfileArgs),
    /// What the Connect layer costs per unary call: hello-server's GetFeature under callgrind over gRPC, Connect
    /// proto and Connect JSON (and connect-rust's over gRPC and Connect); writes OUT_DIR/connect-cost.md and
    /// OUT_DIR/connect_instructions.json
    ConnectCost(ConnectCostArgs),
    /// Write BENCHMARKS.md again from a suite's output directory
    Report {
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
    },
}

#[derive(Args, Clone)]
struct LoadArgs {
    /// The server, host:port (plaintext HTTP/2)
    #[arg(long)]
    addr: SocketAddr,
    /// The server's name in the results
    #[arg(long, default_value = "server")]
    peer: String,
    #[arg(long, value_enum, default_value = "unary")]
    kind: Kind,
    /// Messages per call: features listed, points recorded, notes sent
    #[arg(long, default_value_t = 10)]
    n: usize,
    /// Connections
    #[arg(short = 'c', long, default_value_t = 4)]
    connections: usize,
    /// Calls in flight on each connection
    #[arg(short = 'm', long, default_value_t = 16)]
    in_flight: usize,
    /// Warm-up before measuring, seconds
    #[arg(long, default_value = "1", value_parser = hello::demo::cli::parse_secs)]
    warmup: Duration,
    /// Measured window, seconds
    #[arg(long, default_value = "5", value_parser = hello::demo::cli::parse_secs)]
    duration: Duration,
    /// The server's process id: its CPU use over the window is reported
    #[arg(long)]
    server_pid: Option<u32>,
}

#[derive(Args)]
struct ProfileArgs {
    #[arg(long, value_enum, default_value = "unary")]
    kind: Kind,
    /// Messages per call (ListFeatures: features in the database)
    #[arg(long, default_value_t = 1)]
    n: usize,
    /// Measured calls under callgrind
    #[arg(long, default_value_t = 5000)]
    calls: u64,
    #[command(flatten)]
    callgrind: CallgrindArgs,
}

#[derive(Args)]
struct ConnectCostArgs {
    /// Measured calls per server and wire under callgrind
    #[arg(long, default_value_t = 5000)]
    calls: u64,
    #[command(flatten)]
    callgrind: CallgrindArgs,
}

/// What the callgrind-only runs (`profile`, `connect-cost`) share.
#[derive(Args)]
struct CallgrindArgs {
    /// Functions listed per server (and wire)
    #[arg(long, default_value_t = hello_bench::suite::PROFILE_TOP)]
    top: usize,
    #[arg(long, default_value = "target/release")]
    bin_dir: PathBuf,
    #[arg(long, default_value = "target/bench")]
    out_dir: PathBuf,
    #[arg(long, default_value = "0")]
    server_core: String,
    #[arg(long, default_value = "1")]
    load_core: String,
}

#[derive(Args)]
struct SuiteArgs {
    /// Directory of the release binaries
    #[arg(long, default_value = "target/release")]
    bin_dir: PathBuf,
    /// Scratch directory: logs, feature files, JSON results
    #[arg(long, default_value = "target/bench")]
    out_dir: PathBuf,
    /// The report to write
    #[arg(long, default_value = "BENCHMARKS.md")]
    report: PathBuf,
    /// Rounds: every case against every server, once per round
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Warm-up of each run, seconds (each run has a fresh server)
    #[arg(long, default_value = "0.5", value_parser = hello::demo::cli::parse_secs)]
    warmup: Duration,
    /// Measured window of each run, seconds
    #[arg(long, default_value = "2.5", value_parser = hello::demo::cli::parse_secs)]
    duration: Duration,
    /// Features per call of the large ListFeatures case
    #[arg(long, default_value_t = 100_000)]
    list_large: usize,
    /// Messages per call of RecordRoute and RouteChat
    #[arg(long, default_value_t = 100)]
    stream_n: usize,
    /// The Python venv's interpreter (first line of scripts/python-env.sh); without it, no Python runs
    #[arg(long, requires = "python_gen")]
    python: Option<PathBuf>,
    /// The gen directory of scripts/python-env.sh (second line)
    #[arg(long, requires = "python")]
    python_gen: Option<PathBuf>,
    #[arg(long, default_value = "0")]
    server_core: String,
    #[arg(long, default_value = "1")]
    load_core: String,
    /// Calls per kind in the allocation count (0: skip it)
    #[arg(long, default_value_t = 20_000)]
    alloc_calls: usize,
    /// Also measure build cost (two clean release builds: minutes)
    #[arg(long)]
    build_cost: bool,
    /// Skip h2load
    #[arg(long)]
    no_h2load: bool,
    /// Skip the instruction counts under valgrind's callgrind
    #[arg(long)]
    no_instructions: bool,
    /// Count instructions of GetFeature and the large ListFeatures only, with fewer calls
    #[arg(long)]
    quick_instructions: bool,
    /// How this was invoked, for the report
    #[arg(long, default_value = "hello-bench suite")]
    invocation: String,
    /// What else ran on the machine meanwhile, said in the report beside the load averages
    #[arg(long, default_value = "")]
    machine_note: String,
}

fn load_spec(a: &LoadArgs) -> LoadSpec {
    LoadSpec {
        addr: a.addr,
        peer: a.peer.clone(),
        kind: a.kind,
        n: a.n,
        connections: a.connections,
        in_flight: a.in_flight,
        warmup: a.warmup,
        duration: a.duration,
        server_pid: a.server_pid,
    }
}

fn print_run(run: &hello_bench::stats::Run) -> ExitCode {
    eprintln!(
        "{} {} c{} m{} against {}: {}; {} calls, {} errors {:?}",
        run.tool,
        run.kind.label(run.n),
        run.connections,
        run.in_flight,
        run.peer,
        report::one_line(run),
        run.calls,
        run.errors,
        run.error_detail
    );
    match serde_json::to_string(run) {
        Ok(j) => {
            println!("{j}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hello-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("hello-bench: {e}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Run(a) => {
            // One thread: the load tool gets one core, and a current-thread runtime uses it best.
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return fail(e),
            };
            match rt.block_on(load::run(&load_spec(&a))) {
                Ok(run) => print_run(&run),
                Err(e) => fail(e),
            }
        }
        Cmd::H2load { load, work_dir } => {
            let spec = H2loadSpec {
                addr: load.addr,
                peer: load.peer.clone(),
                kind: load.kind,
                n: load.n,
                connections: load.connections,
                in_flight: load.in_flight,
                warmup: load.warmup,
                duration: load.duration,
                server_pid: load.server_pid,
                work_dir,
            };
            match h2load::run(&spec) {
                Ok(run) => print_run(&run),
                Err(e) => fail(e),
            }
        }
        Cmd::Features { n, out } => match std::fs::write(&out, workload::features_json(n)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("cannot write {}: {e}", out.display())),
        },
        Cmd::Body { kind, n, out } => match std::fs::write(&out, workload::request_body(kind, n)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(format!("cannot write {}: {e}", out.display())),
        },
        Cmd::BuildCost { dir } => {
            let root = std::env::current_dir().unwrap_or_default();
            let cost = match hello_bench::buildcost::measure(&root, &dir.join("buildcost")) {
                Ok(c) => c,
                Err(e) => return fail(e),
            };
            let json = serde_json::to_string_pretty(&cost).unwrap_or_default();
            match std::fs::write(dir.join("buildcost.json"), &json) {
                Ok(()) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Cmd::Profile(a) => match profile(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        },
        Cmd::ConnectCost(a) => match connect_cost(a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        },
        Cmd::Report { dir, out } => match report::write_from_dir(&dir, &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        },
        Cmd::Suite(a) => {
            let mut cases = suite::default_cases(a.list_large, a.stream_n);
            if a.no_h2load {
                cases.retain(|c| c.tool != suite::Tool::H2load);
            }
            let python = a.python.zip(a.python_gen);
            if python.is_none() {
                for c in &mut cases {
                    c.peers.retain(|p| *p != suite::Peer::Python);
                }
            }
            let repo_root = std::env::current_dir().unwrap_or_default();
            let opts = SuiteOpts {
                bin_dir: a.bin_dir,
                out_dir: a.out_dir,
                report: a.report,
                rounds: a.rounds,
                warmup: a.warmup,
                duration: a.duration,
                cases,
                python,
                server_core: a.server_core,
                load_core: a.load_core,
                alloc_calls: a.alloc_calls,
                build_cost: a.build_cost,
                instructions: (!a.no_instructions).then_some((a.list_large, a.stream_n)),
                quick_instructions: a.quick_instructions,
                repo_root,
                invocation: a.invocation,
                machine_note: a.machine_note,
            };
            match opts.run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
    }
}

/// The options of a callgrind-only run (`profile`, `connect-cost`): servers, no load rounds.
fn callgrind_opts(a: &CallgrindArgs) -> Result<SuiteOpts, String> {
    let opts = SuiteOpts {
        bin_dir: a.bin_dir.clone(),
        out_dir: a.out_dir.clone(),
        report: PathBuf::new(),
        rounds: 0,
        warmup: Duration::ZERO,
        duration: Duration::ZERO,
        cases: Vec::new(),
        python: None,
        server_core: a.server_core.clone(),
        load_core: a.load_core.clone(),
        alloc_calls: 0,
        build_cost: false,
        instructions: None,
        quick_instructions: false,
        repo_root: std::env::current_dir().unwrap_or_default(),
        invocation: String::new(),
        machine_note: String::new(),
    };
    std::fs::create_dir_all(opts.out_dir.join("logs"))
        .map_err(|e| format!("cannot create {}: {e}", opts.out_dir.display()))?;
    Ok(opts)
}

/// `hello-bench connect-cost`: GetFeature over gRPC and Connect under callgrind, with each one's top functions.
fn connect_cost(a: ConnectCostArgs) -> Result<(), String> {
    let opts = callgrind_opts(&a.callgrind)?;
    let top = a.callgrind.top;
    let rows = hello_bench::connect_cost::measure(&opts, a.calls)?;
    let json = serde_json::to_string_pretty(&rows).unwrap_or_default();
    let json_path = opts.out_dir.join("connect_instructions.json");
    std::fs::write(&json_path, json)
        .map_err(|e| format!("cannot write {}: {e}", json_path.display()))?;
    let profiles = hello_bench::connect_cost::profiles(&rows, top)?;
    let md = format!(
        "# GetFeature over gRPC and Connect (callgrind)\n\n{}\n{}",
        hello_bench::connect_cost::section(&rows),
        hello_bench::profile::tables(&profiles, top)
    );
    let out = opts.out_dir.join("connect-cost.md");
    std::fs::write(&out, &md).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{}", hello_bench::connect_cost::table(&rows));
    eprintln!("wrote {} and {}", out.display(), json_path.display());
    Ok(())
}

/// `hello-bench profile`: each Rust server under callgrind on one workload, then its top functions.
fn profile(a: ProfileArgs) -> Result<(), String> {
    let opts = callgrind_opts(&a.callgrind)?;
    let top = a.callgrind.top;
    let mut profiles = Vec::new();
    for peer in suite::Peer::RUST {
        let row = hello_bench::instructions::measure(&opts, peer, a.kind, a.n, a.calls)?;
        let p = hello_bench::profile::of_row(&row, top)?;
        let text = PathBuf::from(format!("{}.annotated.txt", row.dump));
        std::fs::write(&text, &p.annotated)
            .map_err(|e| format!("cannot write {}: {e}", text.display()))?;
        eprintln!(
            "{}: {:.0} instructions per call; whole annotation in {}",
            peer.name(),
            row.per_call,
            text.display()
        );
        profiles.push(p);
    }
    let md = hello_bench::profile::tables(&profiles, top);
    let out = opts
        .out_dir
        .join(format!("profile-{}-{}.md", a.kind.method(), a.n));
    std::fs::write(&out, &md).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{md}");
    eprintln!("wrote {}", out.display());
    Ok(())
}
