//! The load generator against real servers on 127.0.0.1:0 (ours, tonic-build's, the ceiling), every kind of
//! call: each must be checked, run and counted with no errors. No timing is asserted.

use hello::demo::RouteGuide;
use hello::demo::features::FeatureDb;
use hello::demo::hello_server::HelloServer;
use hello::demo::notes::NoteLimits;
use hello_bench::ceiling::{self, Canned};
use hello_bench::client::Connection;
use hello_bench::load::{self, LoadSpec};
use hello_bench::tonic_peer::{TonicGuide, TonicHelloServer};
use hello_bench::workload::{self, Kind};
use hello_testkit::Running;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tonic::transport::Server;

const LIST_N: usize = 50;

fn guide() -> RouteGuide {
    let db =
        FeatureDb::from_features(workload::features(LIST_N)).expect("grid features are distinct");
    RouteGuide::new(
        db,
        NoteLimits {
            per_location: 1,
            ..NoteLimits::default()
        },
    )
}

async fn ours() -> Running {
    Running::router(Server::builder().add_service(HelloServer::new(guide()))).await
}

async fn tonic_build() -> Running {
    Running::router(Server::builder().add_service(TonicHelloServer::new(TonicGuide(guide())))).await
}

/// The hyper ceiling, which has no shutdown of its own: its accept loop stops when asked.
async fn ceiling() -> Running<std::io::Error> {
    Running::serve(|listener, shutdown| async move {
        tokio::select! {
            served = ceiling::serve(listener, Arc::new(Canned::new(LIST_N))) => served,
            () = shutdown => Ok(()),
        }
    })
    .await
}

async fn every_kind(peer: &str, addr: SocketAddr) {
    let conn = Connection::open(addr).await.expect("connect");
    for (kind, n) in [
        (Kind::Unary, 1),
        (Kind::List, LIST_N),
        (Kind::Record, 20),
        (Kind::Chat, 20),
    ] {
        load::check(&conn, addr, kind, n)
            .await
            .expect("a checked call");
        let spec = LoadSpec {
            addr,
            peer: peer.to_owned(),
            kind,
            n,
            connections: 2,
            in_flight: 2,
            warmup: Duration::from_millis(50),
            duration: Duration::from_millis(200),
            server_pid: Some(std::process::id()),
        };
        let run = load::run(&spec).await.expect("a load run");
        assert_eq!(run.errors, 0, "{peer} {kind:?}: {:?}", run.error_detail);
        assert!(run.calls > 0, "{peer} {kind:?}: no call completed");
        let per_call = match kind {
            Kind::Unary => 1,
            Kind::List => LIST_N as u64,
            Kind::Record | Kind::Chat => 20,
        };
        assert_eq!(run.messages, run.calls * per_call, "{peer} {kind:?}");
        assert!(run.latency_us.p50.is_some() && run.server_cpu.is_some());
    }
}

#[tokio::test]
async fn load_against_ours() {
    let server = ours().await;
    every_kind("ours", server.addr()).await;
    server.stop().await;
}

#[tokio::test]
async fn load_against_tonic_build() {
    let server = tonic_build().await;
    every_kind("tonic-build", server.addr()).await;
    server.stop().await;
}

#[tokio::test]
async fn load_against_the_ceiling() {
    let server = ceiling().await;
    every_kind("ceiling", server.addr()).await;
    server.stop().await;
}

#[tokio::test]
async fn a_server_that_answers_too_little_fails_the_check() {
    // The ceiling's canned ListFeatures has LIST_N features: asking for more must be refused, not measured.
    let server = ceiling().await;
    let addr = server.addr();
    let conn = Connection::open(addr).await.expect("connect");
    let e = load::check(&conn, addr, Kind::List, LIST_N + 1)
        .await
        .unwrap_err();
    assert!(e.contains("response messages"), "{e}");
}
