//! A client that the reliability tests kill mid-call: `reliability-peer URL N` opens N calls of each kind on the
//! probe service (each held open by its handler) and N RecordRoute and RouteChat calls on the demo service (held open
//! by never ending their request streams), prints `holding` once it has sent them, and waits to be killed.

use futures_util::StreamExt;
use hello::demo::hello_client::HelloClient;
use hello::demo::{Point, RouteNote};
use hello_tests::probe::{HOLD, probe_client::ProbeClient};

fn usage() -> ! {
    eprintln!("usage: reliability-peer URL N");
    std::process::exit(2);
}

/// A request stream that sends `first` and then never ends.
fn endless<T>(first: T) -> impl futures_util::Stream<Item = T> + Send + 'static
where
    T: Send + 'static,
{
    futures_util::stream::iter([first]).chain(futures_util::stream::pending())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(n)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        usage()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let channel = tonic::transport::Endpoint::new(url)
            .expect("a valid URL")
            .connect()
            .await
            .expect("connect to the server");
        let probe = ProbeClient::new(channel.clone());
        let hello = HelloClient::new(channel);
        let at = |latitude| Point {
            latitude,
            longitude: 1.0,
        };
        let note = move |latitude| RouteNote {
            location: Some(at(latitude)),
            message: "held".into(),
        };
        for _ in 0..n {
            let (mut p, mut h) = (probe.clone(), hello.clone());
            tokio::spawn(async move { p.unary(at(HOLD)).await });
            let mut p = probe.clone();
            tokio::spawn(async move {
                let mut s = p.server_stream(at(HOLD)).await?.into_inner();
                while s.message().await?.is_some() {}
                Ok::<_, tonic::Status>(())
            });
            let mut p = probe.clone();
            tokio::spawn(async move { p.client_stream(endless(at(HOLD))).await });
            let mut p = probe.clone();
            tokio::spawn(async move {
                let mut s = p.bidi(endless(note(HOLD))).await?.into_inner();
                while s.message().await?.is_some() {}
                Ok::<_, tonic::Status>(())
            });
            tokio::spawn(async move { h.record_route(endless(at(10.0))).await });
            let mut h = hello.clone();
            tokio::spawn(async move {
                let mut s = h.route_chat(endless(note(10.0))).await?.into_inner();
                while s.message().await?.is_some() {}
                Ok::<_, tonic::Status>(())
            });
        }
        println!("holding");
        std::future::pending::<()>().await;
    });
}
