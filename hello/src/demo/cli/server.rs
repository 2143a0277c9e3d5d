//! `hello-server`'s command line.

use crate::demo::features::FeatureDb;
use crate::demo::notes::NoteLimits;
use crate::demo::server::{self, Config, TlsIdentity};
use clap::Parser;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;

/// `hello-server`'s arguments.
///
/// Serves the hello.Hello gRPC service (RouteGuide semantics), the standard gRPC health service and gRPC
/// server reflection (v1 and v1alpha), so that generic clients such as grpcurl need no .proto file.
///
/// Prints `listening on <address>` on standard output once ready; logs go to standard error
/// (set RUST_LOG, e.g. RUST_LOG=debug for one line per call). Stops on SIGINT or SIGTERM: no new connections,
/// calls in flight get the grace period to finish, then exit 0.
#[derive(Debug, Parser)]
#[command(name = "hello-server", version)]
pub struct ServerArgs {
    /// Address to listen on (port 0: any free port)
    #[arg(long, default_value = "[::]:50051")]
    pub addr: SocketAddr,

    /// Feature database, a JSON array of {"name", "latitude", "longitude"} [default: the embedded places of China]
    #[arg(long, value_name = "FILE")]
    pub features: Option<PathBuf>,

    /// Serve TLS with this PEM certificate chain (needs --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Largest message received or sent, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = server::DEFAULT_MAX_MESSAGE_SIZE)]
    pub max_message_size: usize,

    /// Calls at once on one connection (HTTP/2 max concurrent streams)
    #[arg(long, value_name = "N", default_value_t = server::DEFAULT_MAX_CONCURRENT_STREAMS)]
    pub max_concurrent_streams: u32,

    /// Calls handled at once in the whole server before more are refused (RESOURCE_EXHAUSTED); health checks
    /// are never refused
    #[arg(long, value_name = "N", default_value_t = server::DEFAULT_MAX_CALLS_IN_FLIGHT)]
    pub max_calls_in_flight: usize,

    /// Longest a call may run before its response starts, in seconds [default: no limit]
    #[arg(long, value_name = "SECS", value_parser = super::parse_secs)]
    pub request_timeout: Option<Duration>,

    /// On SIGINT/SIGTERM, how long to go on serving with health saying NOT_SERVING, so that load balancers
    /// move away first, in seconds (behind a load balancer: more than its health-check interval times its
    /// fall count)
    #[arg(long, value_name = "SECS", value_parser = super::parse_secs, default_value = "0")]
    pub drain_delay: Duration,

    /// After the drain delay, how long calls in flight get to finish (after GOAWAY), in seconds
    #[arg(long, value_name = "SECS", value_parser = super::parse_secs, default_value = "10")]
    pub grace_period: Duration,

    /// RouteChat: notes kept at one place (older ones are forgotten)
    #[arg(long, value_name = "N", default_value_t = NoteLimits::default().per_location)]
    pub notes_per_location: usize,

    /// RouteChat: notes kept in all
    #[arg(long, value_name = "N", default_value_t = NoteLimits::default().total)]
    pub notes_total: usize,

    /// RouteChat: bytes of note text kept in all
    #[arg(long, value_name = "BYTES", default_value_t = NoteLimits::default().total_bytes)]
    pub notes_total_bytes: usize,

    /// Do not serve gRPC server reflection
    #[arg(long)]
    pub no_reflection: bool,

    /// Let web pages from this origin call over gRPC-Web and Connect (CORS); repeat for more, `*` for any.
    /// None by default
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
}

fn read(path: &PathBuf, flag: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {flag} {}: {e}", path.display()))
}

impl ServerArgs {
    /// The server's configuration, with files read and checked.
    pub fn config(&self) -> Result<Config, String> {
        let features = match &self.features {
            Some(path) => FeatureDb::load(path).map_err(|e| e.to_string())?,
            None => FeatureDb::default_db(),
        };
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                let id = TlsIdentity {
                    cert_pem: read(cert, "--tls-cert")?,
                    key_pem: read(key, "--tls-key")?,
                };
                server::check_tls(&id).map_err(|e| e.to_string())?;
                Some(id)
            }
            _ => None,
        };
        Ok(Config {
            features,
            notes: NoteLimits {
                per_location: self.notes_per_location,
                total: self.notes_total,
                total_bytes: self.notes_total_bytes,
            },
            tls,
            max_message_size: self.max_message_size,
            max_concurrent_streams: self.max_concurrent_streams,
            max_calls_in_flight: self.max_calls_in_flight,
            request_timeout: self.request_timeout,
            drain_delay: self.drain_delay,
            grace_period: self.grace_period,
            reflection: !self.no_reflection,
            cors_origins: self.cors_origins.clone(),
        })
    }
}

/// Runs `hello-server` to the end; the exit code says how it went.
pub async fn run(args: ServerArgs) -> ExitCode {
    let config = match args.config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hello-server: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("hello-server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(args.addr);
    // The contract with scripts and tests: exactly this line on stdout, flushed, once the port is bound.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {local}").and_then(|()| out.flush());
    drop(out);
    tracing::info!(
        addr = %local,
        features = config.features.len(),
        tls = config.tls.is_some(),
        "hello-server started"
    );
    match server::serve(config, listener, server::shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("hello-server: {e}");
            ExitCode::FAILURE
        }
    }
}
