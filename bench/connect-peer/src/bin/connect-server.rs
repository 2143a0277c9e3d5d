//! `connect-server`: the benchmark's connect-rust peer. Serves `hello.Hello` (gRPC, gRPC-Web and Connect, as
//! connect-rust does) with the demo's RouteGuide, on connect-rust's own hyper server, with the command line of
//! `hello-server` (only --addr, --features, --notes-* and the message and stream limits are used).
//! Prints `listening on <addr>` on stdout when ready, like `hello-server`.

use clap::Parser;
use connectrpc::{Router, Server};
use hello::demo::cli::server::ServerArgs;
use hello::demo::notes::NoteStore;
use hello_bench_connect::guide::ConnectGuide;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
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
    let router = Router::new().add_service(Arc::new(guide));
    let server =
        Server::from_listener(listener).with_max_concurrent_streams(config.max_concurrent_streams);

    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {local}").and_then(|()| out.flush());
    drop(out);
    match server.serve(router).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("connect-server: {e}");
            ExitCode::FAILURE
        }
    }
}
