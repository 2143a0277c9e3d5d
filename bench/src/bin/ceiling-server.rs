//! `ceiling-server`: the benchmark's HTTP/2 ceiling (see `hello_bench::ceiling`). Prints `listening on <addr>`.

use clap::Parser;
use hello_bench::ceiling::{self, Canned};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

/// Answers hello.Hello calls with canned gRPC bytes over bare hyper HTTP/2.
#[derive(Parser)]
struct Args {
    /// Address to listen on (port 0: any free port)
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Features in each ListFeatures answer (the benchmark's small grid features)
    #[arg(long, default_value_t = 10)]
    list_n: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let canned = Arc::new(Canned::new(args.list_n));
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ceiling-server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(args.addr);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {local}").and_then(|()| out.flush());
    drop(out);
    match ceiling::serve(listener, canned).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ceiling-server: {e}");
            ExitCode::FAILURE
        }
    }
}
