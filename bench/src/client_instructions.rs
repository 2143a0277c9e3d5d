//! Instructions per call on the client side, counted by callgrind like the servers' (see `instructions`): a
//! `client-bench` process with one generated client (ours or tonic-build's) runs under callgrind and makes calls
//! one at a time against the ceiling server, which answers canned bytes and is not counted. The counters are
//! zeroed after the client's warm-up and dumped after its measured calls.

use crate::instructions::{callgrind_control, dumped_total};
use crate::suite::SuiteOpts;
use crate::workload::{self, Kind};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The clients counted, by `client-bench --client` name.
pub const CLIENTS: [&str; 2] = ["ours", "tonic-build"];

/// One client's count for one workload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientInstrRow {
    pub client: String,
    pub kind: Kind,
    pub n: usize,
    pub calls: u64,
    pub per_call: f64,
    pub per_message: f64,
    pub command: String,
}

/// The workloads, and the measured calls of each.
pub fn cases(stream_n: usize, quick: bool) -> Vec<(Kind, usize, u64)> {
    if quick {
        return vec![(Kind::Unary, 1, 1000)];
    }
    vec![
        (Kind::Unary, 1, 3000),
        (Kind::List, stream_n, 500),
        (Kind::Record, stream_n, 500),
        (Kind::Chat, stream_n, 500),
    ]
}

/// Counts one client on one workload.
pub fn measure(
    opts: &SuiteOpts,
    client: &str,
    kind: Kind,
    n: usize,
    calls: u64,
) -> Result<ClientInstrRow, String> {
    let case = crate::suite::Case {
        tool: crate::suite::Tool::H2load,
        kind,
        n,
        connections: 1,
        in_flight: 1,
        peers: vec![crate::suite::Peer::Ceiling],
    };
    let log = opts.out_dir.join("logs").join("client-ceiling.log");
    let server = opts.start_server_wrapped(crate::suite::Peer::Ceiling, &case, &[], &log)?;
    let dir = opts.out_dir.join("callgrind");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let base = dir.join(format!("client-{client}-{}-{n}", kind.method()));
    let dump = PathBuf::from(format!("{}.1", base.display()));
    for stale in [&base, &dump] {
        let _ = std::fs::remove_file(stale);
    }
    let mut cmd = Command::new("taskset");
    cmd.arg("-c")
        .arg(&opts.load_core)
        .arg("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", base.display()))
        .arg(opts.bin_dir.join("client-bench"))
        .arg("--url")
        .arg(format!("http://{}", server.addr))
        .arg("--client")
        .arg(client)
        .arg("--kind")
        .arg(format!("{kind:?}").to_lowercase())
        .arg("--n")
        .arg(n.to_string())
        .arg("--warmup-calls")
        .arg((calls / 10).max(10).to_string())
        .arg("--calls")
        .arg(calls.to_string());
    let shown = format!("{cmd:?}").replace('"', "");
    let err_log = std::fs::File::create(opts.out_dir.join("logs").join("client-bench.log"))
        .map_err(|e| format!("cannot create the client-bench log: {e}"))?;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(err_log)
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let pid = child.id();
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let mut expect = |word: &str| -> Result<(), String> {
        match lines.next() {
            Some(Ok(l)) if l.trim() == word => Ok(()),
            other => Err(format!(
                "{shown}: expected `{word}`, got {other:?} (see target/bench/logs/client-bench.log)"
            )),
        }
    };
    let result = (|| {
        expect("warm")?;
        callgrind_control("-z", pid)?;
        writeln!(stdin, "go").map_err(|e| e.to_string())?;
        expect("done")?;
        callgrind_control("-d", pid)?;
        dumped_total(&base)
    })();
    let _ = writeln!(stdin, "bye");
    drop(stdin);
    let _ = child.wait();
    drop(server);
    let total = result?;
    let (min, _) = workload::expected_responses(kind, n);
    let per_call = total as f64 / calls as f64;
    Ok(ClientInstrRow {
        client: client.to_owned(),
        kind,
        n,
        calls,
        per_call,
        per_message: per_call / workload::messages_per_call(kind, n, min.max(1)) as f64,
        command: shown,
    })
}
