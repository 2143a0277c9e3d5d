//! `hello-server`: see `hello-server --help`; the logic is in `hello::demo::cli::server`.

use clap::Parser;
use hello::demo::cli::{self, server::ServerArgs};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ServerArgs::parse();
    cli::init_logging("info");
    cli::server::run(args).await
}
