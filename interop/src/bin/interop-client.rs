//! `interop-client`: runs grpc's standard interop cases against any interop server (see interop/README.md).
//! Prints one line per case, `PASS <case>` or `FAIL <case>: <what went wrong>`; exits 1 if any failed.

use clap::Parser;
use interop::client::{self, Connection, OurClient, cases};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(about = "The gRPC interop test client, over the client #[hello::service] generates")]
struct Args {
    /// The server host to connect to.
    #[arg(long = "server_host", default_value = "localhost")]
    server_host: String,
    /// The server port to connect to.
    #[arg(long = "server_port", default_value_t = 10000)]
    server_port: u16,
    /// The host name to claim: for TLS and the HTTP/2 :authority (default: --server_host).
    #[arg(long = "server_host_override")]
    server_host_override: Option<String>,
    /// Comma-separated case names, or `all`.
    #[arg(long = "test_case", default_value = "all")]
    test_case: String,
    /// Connect with TLS.
    #[arg(long = "use_tls", num_args = 0..=1, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    use_tls: bool,
    /// Trust the test CA of interop/certs (which signed interop-server's test certificate) instead of the
    /// platform's roots.
    #[arg(long = "use_test_ca", num_args = 0..=1, default_missing_value = "true", default_value = "false", action = clap::ArgAction::Set)]
    use_test_ca: bool,
    /// Trust this PEM CA instead (e.g. grpc's src/core/tsi/test_creds/ca.pem for other implementations' servers).
    #[arg(long = "ca_file")]
    ca_file: Option<PathBuf>,
}

fn case_names(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .flat_map(|name| match name {
            "all" => cases::ALL.iter().map(|c| c.to_string()).collect(),
            name => vec![name.to_owned()],
        })
        .collect()
}

/// An error and its causes, `outer: inner: root`: tonic's own message is often just "transport error".
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let ca_pem = match (&args.ca_file, args.use_test_ca) {
        (Some(path), _) => match std::fs::read(path) {
            Ok(pem) => Some(pem),
            Err(e) => {
                eprintln!("interop-client: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        (None, true) => Some(interop::server::TEST_CA_PEM.to_vec()),
        (None, false) => None,
    };
    let connection = Connection {
        host: args.server_host.clone(),
        port: args.server_port,
        tls: args.use_tls,
        host_override: args.server_host_override.clone(),
        ca_pem,
    };
    let channel = match client::connect(&connection).await {
        Ok(channel) => channel,
        Err(e) => {
            eprintln!(
                "interop-client: cannot connect to {}:{}: {}",
                args.server_host,
                args.server_port,
                chain(&*e)
            );
            return ExitCode::FAILURE;
        }
    };
    let client = OurClient::new(channel);
    let mut failed = 0;
    let names = case_names(&args.test_case);
    for name in &names {
        match cases::run(&client, name).await {
            Ok(()) => println!("PASS {name}"),
            Err(why) => {
                failed += 1;
                println!("FAIL {name}: {why}");
            }
        }
    }
    println!("{} passed, {failed} failed", names.len() - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
