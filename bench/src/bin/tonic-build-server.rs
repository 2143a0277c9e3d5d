//! `tonic-build-server`: the benchmark's peer. The same RouteGuide, command line and server set-up as
//! `hello-server` (see `hello::demo::server::serve`), with tonic-build's generated service instead of our macro's.
//! Prints `listening on <addr>` on stdout when ready, like `hello-server`.
//!
//! One difference, in tonic-build's favour: `hello-server` also wraps each connection so that it can cut it
//! after a shutdown grace period (one atomic load per read and write); this server does not.

use clap::Parser;
use hello::demo::cli::server::ServerArgs;
use hello::demo::route_guide::RouteGuide;
use hello::demo::server::CallLogLayer;
use hello_bench::tonic_peer::{TonicGuide, TonicHelloServer};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;
use tonic::codec::CompressionEncoding;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ServerArgs::parse();
    hello::demo::cli::init_logging("info");
    let config = match args.config() {
        Ok(c) if c.tls.is_none() => c,
        Ok(_) => {
            eprintln!("tonic-build-server: TLS is not supported here");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("tonic-build-server: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("tonic-build-server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(args.addr);

    let guide = TonicGuide(RouteGuide::new(config.features, config.notes));
    let service = TonicHelloServer::new(guide)
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(config.max_message_size)
        .max_encoding_message_size(config.max_message_size);
    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_serving::<TonicHelloServer<TonicGuide>>().await;
    let mut builder = Server::builder()
        .max_concurrent_streams(config.max_concurrent_streams)
        .http2_keepalive_interval(Some(Duration::from_secs(60)))
        .http2_keepalive_timeout(Some(Duration::from_secs(20)));
    if let Some(t) = config.request_timeout {
        builder = builder.timeout(t);
    }
    let router = builder
        .layer(CallLogLayer)
        .add_service(health_service)
        .add_service(service);
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));

    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {local}").and_then(|()| out.flush());
    drop(out);
    match router
        .serve_with_incoming_shutdown(incoming, hello::demo::server::shutdown_signal())
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tonic-build-server: {e}");
            ExitCode::FAILURE
        }
    }
}
