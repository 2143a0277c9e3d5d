//! `connect-server`: the benchmark's connect-rust peer. Serves `hello.Hello` (gRPC, gRPC-Web and Connect, as
//! connect-rust does) with the demo's RouteGuide, on connect-rust's own hyper server with its generated dispatcher, with the command line of
//! `hello-server` (only --addr, --features, --notes-* and the message and stream limits are used).
//! Prints `listening on <addr>` on stdout when ready, like `hello-server`.

use clap::Parser;
use connectrpc::{ConnectRpcService, Server};
use hello::demo::cli::server::ServerArgs;
use hello::demo::notes::NoteStore;
use hello_bench_connect::guide::ConnectGuide;
use hello_bench_connect::proto::hello::HelloServer;
use std::io::Write;
use std::process::ExitCode;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ServerArgs::parse();
    let config = match args.config() {
        Ok(c) if c.tls.is_none() => c,
        Ok(_) => {
            eprintln!("connect-server: TLS is not supported here");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("connect-server: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("connect-server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(args.addr);
    let guide = ConnectGuide::new(config.features, NoteStore::new(config.notes));
    // The generated dispatcher (a `match` on the method name), which connect-rust recommends over its Router's
    // hash map for speed.
    let service = ConnectRpcService::new(HelloServer::new(guide));
    let server =
        Server::from_listener(listener).with_max_concurrent_streams(config.max_concurrent_streams);

    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {local}").and_then(|()| out.flush());
    drop(out);
    match server.serve_with_service(service).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("connect-server: {e}");
            ExitCode::FAILURE
        }
    }
}
