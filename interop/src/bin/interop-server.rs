//! `interop-server`: grpc's standard interop server (`--port`, `--use_tls`), serving `grpc.testing.TestService`.
//! Prints `listening on <ip:port>` on stdout once ready; stops on Ctrl-C.

use clap::Parser;
use interop::server::{self, Tls};
use std::io::Write;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::net::TcpListener;

#[derive(Parser, Debug)]
#[command(
    about = "The gRPC interop test server: grpc.testing.TestService defined with #[hello::service]"
)]
struct Args {
    /// The port to listen on (all interfaces; 0 picks a free port).
    #[arg(long = "port", default_value_t = 10000)]
    port: u16,
    /// Serve TLS: with the certificate given, else the test certificate of interop/certs.
    #[arg(long = "use_tls", num_args = 0..=1, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    use_tls: bool,
    /// PEM certificate chain to serve with --use_tls.
    #[arg(long = "tls_cert_file", requires = "tls_key_file")]
    tls_cert_file: Option<PathBuf>,
    /// PEM private key of --tls_cert_file.
    #[arg(long = "tls_key_file", requires = "tls_cert_file")]
    tls_key_file: Option<PathBuf>,
}

fn tls(args: &Args) -> Result<Option<Tls>, String> {
    if !args.use_tls {
        return Ok(None);
    }
    let (Some(cert), Some(key)) = (&args.tls_cert_file, &args.tls_key_file) else {
        return Ok(Some(Tls::test_cert()));
    };
    let read = |path: &PathBuf| {
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    Ok(Some(Tls {
        cert_pem: read(cert)?,
        key_pem: read(key)?,
    }))
}

/// Both address families where the system allows, else IPv4 only.
async fn bind(port: u16) -> std::io::Result<TcpListener> {
    match TcpListener::bind(SocketAddr::from((Ipv6Addr::UNSPECIFIED, port))).await {
        Ok(listener) => Ok(listener),
        Err(_) => TcpListener::bind(SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))).await,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let tls = match tls(&args) {
        Ok(tls) => tls,
        Err(e) => {
            eprintln!("interop-server: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match bind(args.port).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("interop-server: cannot listen on port {}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening on {addr}").and_then(|()| out.flush());
        }
        Err(e) => eprintln!("interop-server: listening, address unknown: {e}"),
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match server::serve(listener, tls, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("interop-server: {e}");
            ExitCode::FAILURE
        }
    }
}
