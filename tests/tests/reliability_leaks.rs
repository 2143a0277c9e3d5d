//! No leaks: after calls of all four kinds are cancelled by their client, reset mid-stream, or cut by a client
//! process killed mid-stream, the server's live handlers go back to zero, the tasks alive on its runtime (tokio's
//! runtime metrics) go back to their baseline, and its memory stays bounded over rounds of it.

mod reliability;

use futures_util::StreamExt;
use hello::demo::Point;
use hello_tests::messages::note;
use hello_tests::probe::{HOLD, ProbeService, probe_client::ProbeClient};
use hello_tests::served::{Limits, Served, rss_bytes, settle};
use reliability::raw::{self, connect, framed, grpc_request, guard};
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tonic::transport::Channel;

/// Calls of each kind per fault and round.
const PER_KIND: usize = 50;
const ROUNDS: usize = 4;

/// Waits (bounded by the hang guard) until `cond` holds.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    guard(what, async {
        while !cond() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
}

/// PER_KIND calls of each kind, held open by the probe's handlers, then given up by a tonic client: the unary and
/// client-streaming calls' futures dropped, the streamed responses dropped (with the bidi request streams).
async fn cancel_through_tonic(probe: &ProbeService, channel: Channel) {
    let client = ProbeClient::new(channel);
    let live = probe.live();
    let mut tasks = Vec::new();
    let mut streams = Vec::new();
    let mut senders = Vec::new();
    for _ in 0..PER_KIND {
        let mut c = client.clone();
        tasks.push(tokio::spawn(async move {
            c.unary(Point::new(HOLD, 1.0)).await.map(drop)
        }));
        let mut c = client.clone();
        tasks.push(tokio::spawn(async move {
            let endless = futures_util::stream::iter([Point::new(HOLD, 1.0)])
                .chain(futures_util::stream::pending());
            c.client_stream(endless).await.map(drop)
        }));
        let mut c = client.clone();
        streams.push(
            c.server_stream(Point::new(HOLD, 1.0))
                .await
                .unwrap()
                .into_inner()
                .map(drop)
                .boxed(),
        );
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        tx.send(note(Point::new(HOLD, 1.0), "held")).await.unwrap();
        senders.push(tx);
        let bidi = c
            .bidi(tokio_stream::wrappers::ReceiverStream::new(rx))
            .await
            .unwrap();
        streams.push(bidi.into_inner().map(drop).boxed());
    }
    until("every cancelled call's handler runs", || {
        probe.live() == live + 4 * PER_KIND
    })
    .await;
    for t in &tasks {
        t.abort();
    }
    drop((streams, senders));
    until("cancelled calls' handlers end", || probe.live() == live).await;
}

/// PER_KIND calls of each kind (and of the demo service's streaming kinds) on one raw HTTP/2 connection, each reset
/// (RST_STREAM CANCEL) mid-call.
async fn reset_mid_stream(probe: &ProbeService, server: &Served) {
    let mut conn = connect(server.addr()).await;
    let live = probe.live();
    let started = probe.started();
    let calls = [
        ("/probe.Probe/Unary", framed(&Point::new(HOLD, 1.0)), true),
        (
            "/probe.Probe/ServerStream",
            framed(&Point::new(HOLD, 1.0)),
            true,
        ),
        (
            "/probe.Probe/ClientStream",
            framed(&Point::new(HOLD, 1.0)),
            false,
        ),
        (
            "/probe.Probe/Bidi",
            framed(&note(Point::new(HOLD, 1.0), "held")),
            false,
        ),
        (
            "/hello.Hello/RecordRoute",
            framed(&Point::new(10.0, 1.0)),
            false,
        ),
        (
            "/hello.Hello/RouteChat",
            framed(&note(Point::new(10.0, 1.0), "held")),
            false,
        ),
    ];
    let mut open = Vec::new();
    for _ in 0..PER_KIND {
        for (path, body, end) in &calls {
            let request = grpc_request(path).body(()).unwrap();
            let (response, mut stream) = raw::start(&mut conn, request, false).await;
            stream.send_data(body.clone(), *end).unwrap();
            open.push((response, stream));
        }
    }
    until("every reset call's handler runs", || {
        probe.started() == started + 4 * PER_KIND
    })
    .await;
    for (_, stream) in &mut open {
        stream.send_reset(h2::Reason::CANCEL);
    }
    drop(open);
    until("reset calls' handlers end", || probe.live() == live).await;
}

/// A client process holding PER_KIND / 2 calls of each kind (and of the demo service's streaming kinds) on one
/// connection, killed (SIGKILL) mid-stream.
async fn kill_a_client_mid_stream(probe: &ProbeService, server: &Served) {
    let live = probe.live();
    let n = PER_KIND / 2;
    let mut child = tokio::process::Command::from({
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_reliability-peer"));
        cmd.arg(server.url()).arg(n.to_string());
        cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
        cmd
    })
    .kill_on_drop(true)
    .spawn()
    .expect("start reliability-peer");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    guard(
        "reliability-peer says it holds its calls",
        BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .unwrap();
    assert_eq!(line.trim(), "holding");
    until("the killed client's handlers run", || {
        probe.live() == live + 4 * n
    })
    .await;
    child.start_kill().unwrap();
    guard("reliability-peer exits", child.wait()).await.unwrap();
    until("the killed client's handlers end", || probe.live() == live).await;
}

#[test]
fn after_cancellations_resets_and_killed_clients_the_server_returns_to_its_baseline() {
    let probe = ProbeService::default();
    let server = Served::probe(probe.clone(), Limits::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let baseline = server.tasks();
    let mut rss = Vec::new();
    let mut faults = 0;
    for round in 0..ROUNDS {
        runtime.block_on(async {
            let channel = Channel::from_shared(server.url())
                .unwrap()
                .connect()
                .await
                .unwrap();
            cancel_through_tonic(&probe, channel).await;
            reset_mid_stream(&probe, &server).await;
            kill_a_client_mid_stream(&probe, &server).await;
        });
        faults += 4 * PER_KIND + 6 * PER_KIND + 6 * (PER_KIND / 2);
        // The test's own connections are closed by now (their tasks ran on `runtime`); the server's tasks for them,
        // and for every call above, must be gone.
        if let Err(seen) = settle(baseline, || server.tasks()) {
            panic!("round {round}: the server has {seen} tasks alive, {baseline} at the start");
        }
        assert_eq!(probe.live(), 0);
        rss.push(rss_bytes());
    }
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    eprintln!(
        "{faults} calls cancelled, reset or cut by a killed client over {ROUNDS} rounds; server tasks back to {baseline} \
         after each; RSS after each round (MiB): {:?}",
        rss.iter()
            .map(|&b| format!("{:.1}", mib(b)))
            .collect::<Vec<_>>()
    );
    // Memory: the first round grows the allocator's pools; later rounds must not keep growing.
    let growth = rss[ROUNDS - 1].saturating_sub(rss[0]);
    assert!(
        growth < 32 << 20,
        "RSS grew by {:.1} MiB after the first round: {rss:?}",
        mib(growth)
    );
}
