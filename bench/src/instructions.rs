//! Instructions per call on the server side, counted by valgrind's callgrind: unlike calls per second, a count
//! that other work on the machine cannot disturb, so ours against tonic-build's holds even on a busy machine.
//!
//! Each server runs under callgrind; h2load makes a warm-up of calls, the counters are zeroed
//! (`callgrind_control -z`), h2load makes a fixed number of calls, the counters are dumped
//! (`callgrind_control -d`): every instruction the server's process ran for those calls, divided by them.

use crate::h2load;
use crate::suite::{Case, Peer, SuiteOpts, Tool};
use crate::workload::{self, Kind};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How a call reaches the server: gRPC, or Connect's unary POST (issue 14) with a protobuf or a JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Wire {
    /// `application/grpc`, the message framed, `te: trailers`
    #[default]
    Grpc,
    /// Connect unary: `application/proto`, the bare message, `connect-protocol-version: 1`
    ConnectProto,
    /// Connect unary: `application/json`, the message in ProtoJSON, `connect-protocol-version: 1`
    ConnectJson,
}

impl Wire {
    pub const ALL: [Wire; 3] = [Wire::Grpc, Wire::ConnectProto, Wire::ConnectJson];

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Wire::Grpc => "gRPC",
            Wire::ConnectProto => "Connect proto",
            Wire::ConnectJson => "Connect JSON",
        }
    }

    /// The request headers h2load sends.
    pub fn headers(self) -> [&'static str; 2] {
        match self {
            Wire::Grpc => ["content-type: application/grpc", "te: trailers"],
            Wire::ConnectProto => [
                "content-type: application/proto",
                "connect-protocol-version: 1",
            ],
            Wire::ConnectJson => [
                "content-type: application/json",
                "connect-protocol-version: 1",
            ],
        }
    }

    /// The request body of one call; Connect's unary form only for unary calls.
    pub fn body(self, kind: Kind, n: usize) -> Result<bytes::Bytes, String> {
        match (self, kind) {
            (Wire::Grpc, _) => Ok(workload::request_body(kind, n)),
            (Wire::ConnectProto, Kind::Unary) => {
                Ok(prost::Message::encode_to_vec(&workload::UNARY_POINT).into())
            }
            (Wire::ConnectJson, Kind::Unary) => Ok(serde_json::json!({
                "latitude": workload::UNARY_POINT.latitude,
                "longitude": workload::UNARY_POINT.longitude,
            })
            .to_string()
            .into()),
            _ => Err(format!(
                "{} is measured for unary calls only, not {}",
                self.name(),
                kind.method()
            )),
        }
    }

    /// The suffix of its files' names: none for gRPC.
    fn suffix(self) -> &'static str {
        match self {
            Wire::Grpc => "",
            Wire::ConnectProto => "-connect-proto",
            Wire::ConnectJson => "-connect-json",
        }
    }
}

/// One server's count for one workload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstrRow {
    pub peer: String,
    /// How the calls were carried (gRPC unless said).
    #[serde(default)]
    pub wire: Wire,
    pub kind: Kind,
    pub n: usize,
    pub calls: u64,
    pub per_call: f64,
    pub per_message: f64,
    pub command: String,
    /// The callgrind dump the count was read from (for the per-function profile).
    #[serde(default)]
    pub dump: String,
}

/// The workloads counted by `scripts/bench.sh --quick`: GetFeature and the large ListFeatures, fewer calls.
pub fn quick_cases(list_large: usize) -> Vec<(Kind, usize, u64)> {
    vec![(Kind::Unary, 1, 2000), (Kind::List, list_large, 2)]
}

/// The workloads counted, and how many calls each (enough to swamp start-up effects, few enough for valgrind).
pub fn cases(list_large: usize, stream_n: usize) -> Vec<(Kind, usize, u64)> {
    vec![
        (Kind::Unary, 1, 5000),
        (Kind::List, 10, 3000),
        (Kind::List, list_large, 4),
        (Kind::Record, stream_n, 1000),
        (Kind::Chat, stream_n, 1000),
    ]
}

pub(crate) fn run_h2load(args: &[String]) -> Result<h2load::Summary, String> {
    let out = Command::new("h2load")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run h2load: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    h2load::parse_summary(&text).ok_or_else(|| format!("h2load output not understood:\n{text}"))
}

pub(crate) fn callgrind_control(flag: &str, pid: u32) -> Result<(), String> {
    let out = Command::new("callgrind_control")
        .arg(flag)
        .arg(pid.to_string())
        .output()
        .map_err(|e| format!("cannot run callgrind_control (apt-get install valgrind): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "callgrind_control {flag} {pid} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The `summary:` total of the first dump of `base` (`base.1`), waiting for it to be written.
pub(crate) fn dumped_total(base: &Path) -> Result<u64, String> {
    let dump = PathBuf::from(format!("{}.1", base.display()));
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok(text) = std::fs::read_to_string(&dump)
            && let Some(total) = text.lines().find_map(|l| l.strip_prefix("summary:"))
        {
            return total
                .trim()
                .parse()
                .map_err(|e| format!("bad summary in {}: {e}", dump.display()));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("no callgrind dump at {}", dump.display()))
}

/// Counts one workload against one server, over gRPC.
pub fn measure(
    opts: &SuiteOpts,
    peer: Peer,
    kind: Kind,
    n: usize,
    calls: u64,
) -> Result<InstrRow, String> {
    measure_wire(opts, peer, kind, n, calls, Wire::Grpc)
}

/// Counts one workload against one server, the calls carried as `wire` says.
pub fn measure_wire(
    opts: &SuiteOpts,
    peer: Peer,
    kind: Kind,
    n: usize,
    calls: u64,
    wire: Wire,
) -> Result<InstrRow, String> {
    let request = wire.body(kind, n)?;
    let case = Case {
        tool: Tool::H2load,
        kind,
        n,
        connections: 2,
        in_flight: 4,
        peers: vec![peer],
    };
    let dir = opts.out_dir.join("callgrind");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let base = dir.join(format!(
        "{}-{}-{n}{}",
        peer.name(),
        kind.method(),
        wire.suffix()
    ));
    for stale in [base.clone(), PathBuf::from(format!("{}.1", base.display()))] {
        let _ = std::fs::remove_file(stale);
    }
    let valgrind = [
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        format!("--callgrind-out-file={}", base.display()),
    ];
    let log =
        opts.out_dir
            .join("logs")
            .join(format!("callgrind-{}{}.log", peer.name(), wire.suffix()));
    let server = opts.start_server_wrapped(peer, &case, &valgrind, &log)?;
    let body = opts
        .out_dir
        .join(format!("body-{}-{n}{}.bin", kind.method(), wire.suffix()));
    std::fs::write(&body, &request).map_err(|e| format!("cannot write {}: {e}", body.display()))?;
    let url = format!("http://{}{}", server.addr, kind.path());
    let h2 = |calls: u64| -> Vec<String> {
        let mut a: Vec<String> = [
            "-n",
            &calls.to_string(),
            "-c",
            "2",
            "-m",
            "4",
            "-t",
            "1",
            "-d",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.push(body.display().to_string());
        for h in wire.headers() {
            a.push("-H".to_owned());
            a.push(h.to_owned());
        }
        a.push(url.clone());
        a
    };
    run_h2load(&h2((calls / 5).max(2)))?;
    let pid = server.pid();
    callgrind_control("-z", pid)?;
    let measured = h2(calls);
    let s = run_h2load(&measured)?;
    // A Connect error is an HTTP 4xx or 5xx: every call counted must be a 200.
    if s.succeeded != calls || s.status_2xx != calls {
        return Err(format!(
            "{}: {} of {calls} calls succeeded under callgrind",
            server.command, s.succeeded
        ));
    }
    callgrind_control("-d", pid)?;
    let total = dumped_total(&base)?;
    drop(server);
    let (min, _) = workload::expected_responses(kind, n);
    let per_call = total as f64 / calls as f64;
    Ok(InstrRow {
        peer: peer.name().to_owned(),
        wire,
        kind,
        n,
        calls,
        per_call,
        per_message: per_call / workload::messages_per_call(kind, n, min.max(1)) as f64,
        command: format!("h2load {}", measured.join(" ")),
        dump: format!("{}.1", base.display()),
    })
}
