//! `hello-proto breaking --against OLD.proto NEW.proto [--category WIRE|WIRE_JSON|FILE]`: what NEW breaks for the
//! users of OLD, by buf's rules. Exits 0 when compatible, 1 with the findings (one per line on stdout), 2 when a
//! file does not compile (protox's message, with the file, line and column, on stderr).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hello::breaking::{Category, breaking_changes};

#[derive(Parser)]
#[command(name = "hello-proto", version, about = "hello's .proto tools")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lists what NEW breaks for the users of OLD (buf's rule IDs); exit 1 if anything.
    Breaking {
        /// The baseline: the .proto the users have.
        #[arg(long, value_name = "OLD.proto")]
        against: PathBuf,
        /// The new .proto.
        #[arg(value_name = "NEW.proto")]
        new: PathBuf,
        /// buf's category of rules: WIRE, WIRE_JSON or FILE.
        #[arg(long, default_value = "WIRE_JSON")]
        category: Category,
    },
}

fn main() -> ExitCode {
    let Command::Breaking {
        against,
        new,
        category,
    } = Args::parse().command;
    let current = match hello_proto::compile(&new) {
        Ok(set) => set,
        Err(e) => return cannot_compile(e),
    };
    // The baseline is compiled under the new file's name: the same file, before and after.
    let name = current
        .file
        .last()
        .map(|f| f.name().to_owned())
        .unwrap_or_default();
    let baseline = match hello_proto::compile_as(&against, &name) {
        Ok(set) => set,
        Err(e) => return cannot_compile(e),
    };
    let changes = breaking_changes(&baseline, &current, category);
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        print!("{changes}");
        ExitCode::from(1)
    }
}

fn cannot_compile(error: hello_proto::CompileError) -> ExitCode {
    eprintln!("hello-proto: {error}");
    ExitCode::from(2)
}
