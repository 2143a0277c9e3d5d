//! `alloc-bench`: heap allocations per call on the server side, ours against tonic-build's (see
//! `hello_bench::alloc`). Prints a table, or JSON with `--json`.

use clap::Parser;
use hello_bench::alloc::{self, AllocRow, Counting, Which};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Counts the server's heap allocations per call and per message, for each kind of call.
#[derive(Parser)]
struct Args {
    /// About how many calls (unary) or streamed messages (streams) per case
    #[arg(long, default_value_t = 20_000)]
    calls: usize,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
    /// Also list the allocations of a GetFeature call by size, ours against tonic-build's
    #[arg(long)]
    sizes: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("alloc-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result: Result<Vec<AllocRow>, String> = rt.block_on(async {
        let mut rows = Vec::new();
        for (kind, n, calls) in alloc::cases(args.calls) {
            for which in [Which::Ours, Which::TonicBuild] {
                rows.push(alloc::measure(which, kind, n, calls).await?);
            }
        }
        Ok(rows)
    });
    let rows = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("alloc-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
    } else {
        println!("{}", hello_bench::report::alloc_table(&rows));
    }
    if args.sizes {
        println!("{}", hello_bench::report::size_table(&rows));
    }
    ExitCode::SUCCESS
}
