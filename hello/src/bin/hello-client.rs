//! `hello-client`: see `hello-client --help`; the logic is in `hello::demo::cli::client`.

use clap::Parser;
use hello::demo::cli::{self, client::ClientArgs};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = ClientArgs::parse();
    cli::init_logging("warn");
    cli::client::run(args).await
}
