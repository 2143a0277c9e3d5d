//! `client-bench`: makes calls with one generated client (our macro's `HelloClient` or tonic-build's), for
//! valgrind's callgrind to count the client's instructions per call (`hello_bench::client_instructions`).
//!
//! One thread, calls one at a time. It makes the warm-up calls, prints `warm`, waits for a line on stdin
//! (the counters are zeroed meanwhile), makes the measured calls, prints `done`, waits for a line again (the
//! counters are dumped meanwhile), and exits. Any failed call ends it with an error.

use clap::{Parser, ValueEnum};
use futures_util::StreamExt;
use hello::demo::hello_client::HelloClient;
use hello_bench::tonic_peer::TonicHelloClient;
use hello_bench::workload::{self, Kind};
use std::io::{BufRead, Write};
use std::process::ExitCode;
use tonic::transport::{Channel, Endpoint};

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    /// Our macro's generated client
    Ours,
    /// tonic-build's generated client
    TonicBuild,
}

#[derive(Parser)]
struct Args {
    /// The server, http://host:port
    #[arg(long)]
    url: String,
    #[arg(long, value_enum)]
    client: Which,
    #[arg(long, value_enum, default_value = "unary")]
    kind: Kind,
    /// Messages per call: features listed, points recorded, notes sent
    #[arg(long, default_value_t = 10)]
    n: usize,
    #[arg(long, default_value_t = 200)]
    warmup_calls: u64,
    #[arg(long, default_value_t = 2000)]
    calls: u64,
}

/// One call of `kind` with either client (they have the same methods and, here, the same message types).
macro_rules! call {
    ($client:expr, $kind:expr, $n:expr) => {{
        let n = $n;
        let received: Result<usize, tonic::Status> = match $kind {
            Kind::Unary => $client.get_feature(workload::UNARY_POINT).await.map(|_| 1),
            Kind::List => match $client.list_features(workload::rectangle(n)).await {
                Ok(r) => {
                    let mut s = r.into_inner();
                    let mut count = 0;
                    loop {
                        match s.message().await {
                            Ok(Some(_)) => count += 1,
                            Ok(None) => break Ok(count),
                            Err(e) => break Err(e),
                        }
                    }
                }
                Err(e) => Err(e),
            },
            Kind::Record => $client
                .record_route(tokio_stream::iter(workload::route(n)))
                .await
                .map(|_| 1),
            Kind::Chat => match $client
                .route_chat(tokio_stream::iter(workload::notes(n)))
                .await
            {
                Ok(r) => Ok(r
                    .into_inner()
                    .filter(|m| std::future::ready(m.is_ok()))
                    .count()
                    .await),
                Err(e) => Err(e),
            },
        };
        received
    }};
}

fn wait_for_line(say: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{say}")
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// `count` calls, one at a time, with the client `args` names.
async fn calls(
    ours: &mut HelloClient<Channel>,
    theirs: &mut TonicHelloClient<Channel>,
    args: &Args,
    count: u64,
) -> Result<(), String> {
    for i in 0..count {
        let got = match args.client {
            Which::Ours => call!(ours, args.kind, args.n),
            Which::TonicBuild => call!(theirs, args.kind, args.n),
        };
        if let Err(e) = got {
            return Err(format!("call {i} failed: {e}"));
        }
    }
    Ok(())
}

async fn run(args: Args) -> Result<(), String> {
    let channel: Channel = Endpoint::from_shared(args.url.clone())
        .map_err(|e| e.to_string())?
        .tcp_nodelay(true)
        .connect()
        .await
        .map_err(|e| format!("cannot connect to {}: {e}", args.url))?;
    let mut ours = HelloClient::new(channel.clone());
    let mut theirs = TonicHelloClient::new(channel);
    calls(&mut ours, &mut theirs, &args, args.warmup_calls).await?;
    wait_for_line("warm")?;
    calls(&mut ours, &mut theirs, &args, args.calls).await?;
    wait_for_line("done")
}

fn main() -> ExitCode {
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("client-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("client-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
