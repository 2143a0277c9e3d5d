//! Load, bounded and on loopback, sized for CI (seconds): 10,000 concurrent streams held open on four connections,
//! and a run of unary calls with zero errors. The full-size runs (1,000,000 unary calls, a bidi soak of minutes with
//! many clients) are opt-in: `scripts/reliability.sh` (RELIABILITY.md).

mod reliability;

use futures_util::{StreamExt, stream};
use hello::demo::Point;
use hello::demo::hello_client::HelloClient;
use hello_tests::probe::{HOLD, ProbeService, probe_client::ProbeClient};
use hello_tests::served::{Limits, Served, rss_bytes, settle};
use reliability::raw::guard;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

const STREAMS: usize = 10_000;
const CONNECTIONS: usize = 4;
/// Unary calls in the CI run (the opt-in run makes 1,000,000).
const UNARY_CALLS: usize = 10_000;

async fn channel(server: &Served) -> Channel {
    Channel::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap()
}

#[test]
fn ten_thousand_streams_held_open_on_four_connections() {
    let probe = ProbeService::default();
    let server = Served::probe(
        probe.clone(),
        Limits {
            streams: (STREAMS / CONNECTIONS + 100) as u32,
            ..Limits::default()
        },
    );
    let baseline = server.tasks();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let rss_before = rss_bytes();
        let started = Instant::now();
        let mut clients = Vec::new();
        for _ in 0..CONNECTIONS {
            clients.push(ProbeClient::new(channel(&server).await));
        }
        // Each stream: a server stream that sends one feature and then holds the call open.
        let opened: Vec<_> = stream::iter(0..STREAMS)
            .map(|i| {
                let mut client = clients[i % CONNECTIONS].clone();
                async move {
                    let mut s = client.server_stream(Point { latitude: HOLD, longitude: i as f32 }).await?.into_inner();
                    let first = s.message().await?;
                    assert!(first.is_some());
                    Ok::<_, tonic::Status>(s)
                }
            })
            .buffer_unordered(1000)
            .collect()
            .await;
        let held: Vec<_> = opened.into_iter().map(|r| r.expect("a held stream")).collect();
        assert_eq!(held.len(), STREAMS);
        assert_eq!(probe.live(), STREAMS);
        let opened_in = started.elapsed();
        let rss_held = rss_bytes();

        // With 10,000 calls open, the server still answers: a unary call on a new connection.
        let mut hello = HelloClient::new(channel(&server).await);
        let feature = guard("a call beside 10,000 open streams", hello.get_feature(Point { latitude: 39.92, longitude: 116.46 }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(feature.name, "北京");

        drop(held);
        drop(clients);
        drop(hello);
        guard("the held streams' handlers end", async {
            while probe.live() > 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        eprintln!(
            "{STREAMS} streams held open on {CONNECTIONS} connections (opened in {opened_in:.1?}); process RSS {:.1} MiB \
             -> {:.1} MiB while held (client and server together)",
            rss_before as f64 / (1 << 20) as f64,
            rss_held as f64 / (1 << 20) as f64,
        );
    });
    drop(runtime);
    if let Err(seen) = settle(baseline, || server.tasks()) {
        panic!("{seen} server tasks alive after the streams closed, {baseline} before");
    }
}

#[test]
fn unary_calls_on_several_connections_have_zero_errors() {
    let server = Served::hello(hello::demo::server::Config {
        grace_period: Duration::from_millis(200),
        ..Default::default()
    });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut clients = Vec::new();
        for _ in 0..CONNECTIONS {
            clients.push(HelloClient::new(channel(&server).await));
        }
        let started = Instant::now();
        let results: Vec<_> = stream::iter(0..UNARY_CALLS)
            .map(|i| {
                let mut client = clients[i % CONNECTIONS].clone();
                async move {
                    let f = client.get_feature(Point { latitude: 39.92, longitude: 116.46 }).await?;
                    Ok::<_, tonic::Status>(f.into_inner().name)
                }
            })
            .buffer_unordered(256)
            .collect()
            .await;
        let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(errors.is_empty(), "{} errors, the first: {:?}", errors.len(), errors.first());
        assert!(results.iter().all(|r| r.as_ref().is_ok_and(|name| name == "北京")));
        eprintln!(
            "{UNARY_CALLS} unary calls on {CONNECTIONS} connections, 256 in flight: 0 errors, {:.1?}",
            started.elapsed()
        );
    });
}
