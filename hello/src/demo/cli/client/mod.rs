//! `hello-client`'s command line: global options, subcommands, and running them.

mod commands;
pub mod connect;
pub mod input;
pub mod output;

use clap::{Parser, Subcommand};
use connect::{CliError, Target};
use output::Printer;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio::io::AsyncBufReadExt;

/// Calls the hello.Hello gRPC service. With no subcommand, runs the demo: the seed client's four calls.
///
/// Points are written LAT,LON (degrees), notes LAT,LON:TEXT. Errors are one line on standard error, naming the
/// address and the cause, with a non-zero exit code.
#[derive(Debug, Parser)]
#[command(
    name = "hello-client",
    version,
    args_conflicts_with_subcommands = false
)]
pub struct ClientArgs {
    /// Server address: http://HOST:PORT, or https://HOST:PORT for TLS (a bare HOST:PORT gets http://); several,
    /// comma-separated, to balance calls over those whose gRPC health says SERVING
    #[arg(long, global = true, default_value = "http://127.0.0.1:50051")]
    pub addr: String,

    /// Limit in seconds on connecting and on each call (0: no limit)
    #[arg(long, global = true, value_name = "SECS", value_parser = super::parse_secs, default_value = "10")]
    pub timeout: Duration,

    /// Trust this PEM CA certificate for TLS (implies https://)
    #[arg(long, global = true, value_name = "FILE")]
    pub tls_ca: Option<PathBuf>,

    /// Check the server's certificate against this name instead of the address's host
    #[arg(long, global = true, value_name = "NAME")]
    pub tls_domain: Option<String>,

    /// Compress requests and ask for compressed replies (gzip)
    #[arg(long, global = true)]
    pub gzip: bool,

    /// Print one JSON object per message received, for scripts
    #[arg(long, global = true)]
    pub json: bool,

    /// What to call; `demo` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `hello-client`'s subcommands, one per method and `demo`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The four calls with inputs that show real data (the default)
    Demo,
    /// The feature at a point
    GetFeature {
        /// Latitude in degrees
        #[arg(allow_negative_numbers = true)]
        latitude: f32,
        /// Longitude in degrees
        #[arg(allow_negative_numbers = true)]
        longitude: f32,
    },
    /// The features inside a rectangle, given by two opposite corners in any order
    ListFeatures {
        /// Latitude of one corner
        #[arg(allow_negative_numbers = true)]
        lat1: f32,
        /// Longitude of that corner
        #[arg(allow_negative_numbers = true)]
        lon1: f32,
        /// Latitude of the opposite corner
        #[arg(allow_negative_numbers = true)]
        lat2: f32,
        /// Longitude of the opposite corner
        #[arg(allow_negative_numbers = true)]
        lon2: f32,
    },
    /// Sends a route and prints its summary: points, features passed, metres, seconds
    RecordRoute {
        /// Points of the route, LAT,LON each
        #[arg(value_name = "POINT", allow_hyphen_values = true, conflicts_with_all = ["file", "random"])]
        points: Vec<String>,
        /// Read points from a file, one LAT,LON per line (# starts a comment)
        #[arg(long, value_name = "FILE", conflicts_with = "random")]
        file: Option<PathBuf>,
        /// Send N places picked at random from the embedded feature database
        #[arg(long, value_name = "N")]
        random: Option<usize>,
    },
    /// Posts notes and prints the notes posted earlier at the same places
    RouteChat {
        /// Notes, LAT,LON:TEXT each; without any, one note per line of standard input, sent as read
        #[arg(value_name = "NOTE", allow_hyphen_values = true)]
        notes: Vec<String>,
    },
}

impl ClientArgs {
    /// How to reach the server(s), from the arguments.
    pub fn target(&self) -> Target {
        Target {
            addr: self
                .addr
                .split(',')
                .map(|a| connect::with_scheme(a.trim(), self.tls_ca.is_some()))
                .collect::<Vec<_>>()
                .join(","),
            timeout: (!self.timeout.is_zero()).then_some(self.timeout),
            tls_ca: self.tls_ca.clone(),
            tls_domain: self.tls_domain.clone(),
            gzip: self.gzip,
        }
    }
}

fn route_points(
    points: &[String],
    file: &Option<PathBuf>,
    random: Option<usize>,
) -> Result<Vec<input::Point>, CliError> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::Input(format!("cannot read --file {}: {e}", path.display())))?;
        return input::points_from_text(&text, &path.display().to_string())
            .map_err(CliError::Input);
    }
    if let Some(n) = random {
        return Ok(input::random_points(n));
    }
    if points.is_empty() {
        return Err(CliError::Input(
            "record-route: give points (LAT,LON ...), --file FILE or --random N".into(),
        ));
    }
    points
        .iter()
        .map(|p| input::parse_point(p))
        .collect::<Result<_, _>>()
        .map_err(CliError::Input)
}

/// Notes from standard input, one per line, sent as they are read; a bad line ends the input with a warning.
fn stdin_notes() -> impl futures_util::Stream<Item = input::RouteNote> + Send + 'static {
    let lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    futures_util::stream::unfold(lines, |mut lines| async move {
        loop {
            match lines.next_line().await {
                Ok(Some(l)) if l.trim().is_empty() => continue,
                Ok(Some(l)) => match input::parse_note(&l) {
                    Ok(n) => return Some((n, lines)),
                    Err(e) => {
                        eprintln!("hello-client: {e}; stopping input here");
                        return None;
                    }
                },
                Ok(None) => return None,
                Err(e) => {
                    eprintln!("hello-client: cannot read standard input: {e}");
                    return None;
                }
            }
        }
    })
}

async fn run_command(args: ClientArgs) -> Result<(), CliError> {
    let target = args.target();
    let out = Printer { json: args.json };
    // Check the input before connecting, so a typo is reported as such even with the server down.
    let command = args.command.unwrap_or(Command::Demo);
    let (points, notes) = match &command {
        Command::RecordRoute {
            points,
            file,
            random,
        } => (route_points(points, file, *random)?, Vec::new()),
        Command::RouteChat { notes } => {
            let notes = notes
                .iter()
                .map(|n| input::parse_note(n))
                .collect::<Result<Vec<_>, _>>();
            (Vec::new(), notes.map_err(CliError::Input)?)
        }
        _ => (Vec::new(), Vec::new()),
    };
    let mut client = target.connect().await?;
    let c = &mut client;
    let pt = |latitude, longitude| input::Point {
        latitude,
        longitude,
    };
    match command {
        Command::Demo => commands::demo(c, &target, out).await,
        Command::GetFeature {
            latitude,
            longitude,
        } => commands::get_feature(c, &target, out, pt(latitude, longitude)).await,
        Command::ListFeatures {
            lat1,
            lon1,
            lat2,
            lon2,
        } => commands::list_features(c, &target, out, pt(lat1, lon1), pt(lat2, lon2)).await,
        Command::RecordRoute { .. } => commands::record_route(c, &target, out, points).await,
        Command::RouteChat { notes: given } if given.is_empty() => {
            commands::route_chat(c, &target, out, stdin_notes()).await
        }
        Command::RouteChat { .. } => {
            commands::route_chat(c, &target, out, futures_util::stream::iter(notes)).await
        }
    }
}

/// Runs `hello-client` to the end; errors become one line on standard error and exit code 1.
pub async fn run(args: ClientArgs) -> ExitCode {
    match run_command(args).await {
        Ok(()) | Err(CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hello-client: {e}");
            ExitCode::FAILURE
        }
    }
}
