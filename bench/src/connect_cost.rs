//! What the Connect layer costs per unary call (issue 14): `hello-server` under callgrind answering the same
//! GetFeature over gRPC, over Connect with a protobuf body (`application/proto`) and over Connect with JSON
//! (`application/json`), counted as [`crate::instructions`] counts every server; connect-rust's own server
//! beside it, over gRPC and over Connect, for scale.

use crate::instructions::{self, InstrRow, Wire};
use crate::profile::{self, Profile};
use crate::suite::{Peer, SuiteOpts};
use crate::workload::Kind;
use std::fmt::Write;

/// The rows: ours over each wire, then connect-rust's over gRPC and Connect proto (skipped, with a note on
/// stderr, if it does not answer one).
pub fn measure(opts: &SuiteOpts, calls: u64) -> Result<Vec<InstrRow>, String> {
    let mut rows = Vec::new();
    for wire in Wire::ALL {
        let row = instructions::measure_wire(opts, Peer::Ours, Kind::Unary, 1, calls, wire)?;
        eprintln!(
            "instructions: GetFeature ours over {:<13} {:>10.0} per call",
            wire.name(),
            row.per_call
        );
        rows.push(row);
    }
    for wire in [Wire::Grpc, Wire::ConnectProto] {
        match instructions::measure_wire(opts, Peer::Connect, Kind::Unary, 1, calls, wire) {
            Ok(row) => {
                eprintln!(
                    "instructions: GetFeature connect-rust over {:<13} {:>10.0} per call",
                    wire.name(),
                    row.per_call
                );
                rows.push(row);
            }
            Err(e) => eprintln!("connect-rust over {}: not counted: {e}", wire.name()),
        }
    }
    Ok(rows)
}

/// Each row's top functions, named `<peer> <wire>`.
pub fn profiles(rows: &[InstrRow], top: usize) -> Result<Vec<Profile>, String> {
    rows.iter()
        .map(|row| {
            let mut p = profile::of_row(row, top)?;
            p.peer = format!("{} {}", row.peer, row.wire.name());
            Ok(p)
        })
        .collect()
}

/// Instructions per GetFeature for each server and wire, and what Connect adds to the same server's gRPC.
pub fn table(rows: &[InstrRow]) -> String {
    let mut out = String::from(
        "| server | wire | instructions per call | more than its gRPC | ratio to its gRPC |\n|---|---|---|---|---|\n",
    );
    for r in rows {
        let grpc = rows
            .iter()
            .find(|g| g.peer == r.peer && g.wire == Wire::Grpc);
        let (more, ratio) = match grpc {
            Some(g) if r.wire != Wire::Grpc && g.per_call > 0.0 => (
                format!("{:+.0}", r.per_call - g.per_call),
                format!("{:.2}", r.per_call / g.per_call),
            ),
            _ => ("-".to_owned(), "-".to_owned()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {more} | {ratio} |",
            r.peer,
            r.wire.name(),
            r.per_call
        );
    }
    out
}

/// The section of the report, or of `connect-cost.md`: the table, how it was made, the commands.
pub fn section(rows: &[InstrRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "GetFeature (Beijing) under callgrind as above, {} calls after a warm-up (2 connections x 4 in flight), \
         HTTP/2 without TLS; the same request as protobuf in a gRPC frame, as the bare protobuf body of a Connect \
         unary POST (`application/proto`), and as ProtoJSON (`application/json`), each with \
         `connect-protocol-version: 1`. Every call counted answered HTTP 200. \"More than its gRPC\" is the \
         Connect layer's cost per call on that server: the request read whole, the call translated to gRPC \
         and back, for JSON the transcoding through the descriptors.\n",
        rows.first().map_or(0, |r| r.calls)
    );
    let _ = writeln!(out, "{}", table(rows));
    let _ = writeln!(
        out,
        "Commands (server under `valgrind --tool=callgrind`):\n"
    );
    for r in rows {
        let _ = writeln!(out, "- {} {}: `{}`", r.peer, r.wire.name(), r.command);
    }
    out
}
