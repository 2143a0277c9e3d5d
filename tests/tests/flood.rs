//! Small-message floods from real clients, and tiny-frame floods from a hostile one (issue 13), against
//! `hello-server` (the recommended set-up of `hello::serving`) as a child process whose memory is read from /proc.
//!
//! - grpcio and grpc-js, each: RecordRoute with `HELLO_FLOOD_POINTS` points (1,000,000, the size, in CI),
//!   RouteChat with `HELLO_FLOOD_NOTES` notes (20,000) read late and slowly, `HELLO_FLOOD_CALLS` RouteChat calls
//!   at once on one connection (16 of 3,000 notes); `scripts/reliability.sh flood` runs larger ones. Every call must complete with every answer (h2 closed such connections with ENHANCE_YOUR_CALM
//!   "too_many_data_frames" under hyper's default windows). grpc-js records with a retry buffer that holds every
//!   point (64 MiB and more) (tests/node/flood_client.js says why: by default it sends some 5,000 messages a second past 256 KiB,
//!   whatever the server does), so that it sends at full speed.
//! - a raw HTTP/2 client sending 1-byte DATA frames to a stream whose handler is not reading, and one sending
//!   empty DATA frames: the server closes each connection (GOAWAY ENHANCE_YOUR_CALM) and its memory stays bounded.

mod real_peers;

use bytes::Bytes;
use hello::demo::{Point, RouteNote};
use prost::Message;
use real_peers::{Replica, node_command, python_command, run_peer};
use std::time::{Duration, Instant};

/// The server's peak resident memory may not pass this in any flood (it starts near 10 MiB).
const MEMORY_BOUND_KIB: u64 = 256 << 10;

fn points() -> String {
    std::env::var("HELLO_FLOOD_POINTS").unwrap_or_else(|_| "1000000".into())
}

/// RouteChat's notes on one call (`HELLO_FLOOD_NOTES`, 20,000 by default).
fn notes() -> String {
    std::env::var("HELLO_FLOOD_NOTES").unwrap_or_else(|_| "20000".into())
}

/// The calls at once on one connection and their notes (`HELLO_FLOOD_CALLS=16,3000` by default).
fn calls() -> (String, String) {
    let v = std::env::var("HELLO_FLOOD_CALLS").unwrap_or_else(|_| "16,3000".into());
    let (k, n) = v.split_once(',').expect("HELLO_FLOOD_CALLS: calls,notes");
    (k.trim().to_owned(), n.trim().to_owned())
}

/// grpc-js's retry buffer in MiB: room for every point (15 bytes each), so that it sends at full speed.
fn retry_buffer_mib() -> String {
    let points: u64 = points().parse().expect("HELLO_FLOOD_POINTS: a number");
    (64 + ((points * 16) >> 20)).to_string()
}

fn server() -> Replica {
    // One answer per note (the note before it at its place), so the answers can be counted.
    Replica::start("127.0.0.1:0", &["--notes-per-location", "1"])
}

/// Runs the three floods with one client program and checks the server's memory after each; `record` is the
/// RecordRoute scenario with its options.
fn floods(client: &str, command: impl Fn() -> std::process::Command, record: &[&str]) {
    let server = server();
    let points = points();
    let record: Vec<&str> = record.iter().copied().chain([points.as_str()]).collect();
    let (notes, (k, n)) = (notes(), calls());
    let scenarios: [&[&str]; 3] = [&record, &["chat", &notes], &["chat-many", &k, &n]];
    for args in scenarios {
        let started = Instant::now();
        let mut cmd = command();
        cmd.arg("--addr").arg(server.addr().to_string()).args(args);
        let line = run_peer(&format!("{client} {}", args.join(" ")), cmd);
        let (rss, peak) = server.memory_kib();
        println!(
            "{client}: {line} ({:.1} s); server RSS {} KiB, peak {} KiB",
            started.elapsed().as_secs_f64(),
            rss,
            peak
        );
        assert!(peak < MEMORY_BOUND_KIB, "server peak RSS {peak} KiB");
    }
}

#[test]
fn grpcio_small_message_floods_complete() {
    floods("grpcio", || python_command("flood_client.py"), &["record"]);
}

#[test]
fn grpc_js_small_message_floods_complete() {
    floods(
        "grpc-js",
        || node_command("flood_client.js"),
        &["--retry-buffer", &retry_buffer_mib(), "record"],
    );
}

/// A gRPC-framed RouteNote at `place`, about 110 bytes.
fn framed_note(place: f32) -> Bytes {
    let note = RouteNote {
        location: Some(Point {
            latitude: place,
            longitude: 7.0,
        }),
        message: "y".repeat(90),
    };
    let body = note.encode_to_vec();
    let mut framed = vec![0u8];
    framed.extend_from_slice(&(body.len() as u32).to_be_bytes());
    framed.extend_from_slice(&body);
    Bytes::from(framed)
}

/// An HTTP/2 frame header: length, type, flags, stream.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let mut f = (payload.len() as u32).to_be_bytes()[1..].to_vec();
    f.extend_from_slice(&[kind, flags]);
    f.extend_from_slice(&stream.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// A string literal in HPACK, not Huffman-coded (all ours are shorter than 127 bytes).
fn literal(s: &str) -> Vec<u8> {
    let mut v = vec![s.len() as u8];
    v.extend_from_slice(s.as_bytes());
    v
}

/// The opening of a RouteChat call on raw HTTP/2: preface, SETTINGS with a receive window of 0 (so that the
/// server can send no answer and its handler soon stops reading), HEADERS.
fn opening() -> Vec<u8> {
    let mut out = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    out.extend(frame(0x4, 0, 0, &[0x00, 0x04, 0, 0, 0, 0])); // SETTINGS_INITIAL_WINDOW_SIZE = 0
    let mut block = vec![0x83, 0x86]; // :method POST, :scheme http
    block.push(0x04); // :path, literal without indexing, name from the static table
    block.extend(literal("/hello.Hello/RouteChat"));
    block.push(0x01); // :authority
    block.extend(literal("hostile"));
    block.extend([0x0f, 0x10]); // content-type (static index 31)
    block.extend(literal("application/grpc"));
    block.push(0x00); // te, a new name
    block.extend(literal("te"));
    block.extend(literal("trailers"));
    out.extend(frame(0x1, 0x4, 1, &block)); // HEADERS, END_HEADERS
    out
}

/// A hostile connection: a few notes, then `frames` DATA frames of `payload_len` bytes (0 or 1) as fast as the
/// socket takes them. Returns the error code of the server's GOAWAY, if it sent one before closing.
async fn hostile(addr: std::net::SocketAddr, payload_len: usize, frames: usize) -> Option<u32> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = tcp.into_split();
    // Read everything the server sends, looking for GOAWAY (type 7: last stream id, then the error code).
    let reader = tokio::spawn(async move {
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let n = match read.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => n,
            };
            buf.extend_from_slice(&chunk[..n]);
            while buf.len() >= 9 {
                let len = u32::from_be_bytes([0, buf[0], buf[1], buf[2]]) as usize;
                if buf.len() < 9 + len {
                    break;
                }
                if buf[3] == 0x7 && len >= 8 {
                    return Some(u32::from_be_bytes([buf[13], buf[14], buf[15], buf[16]]));
                }
                buf.drain(..9 + len);
            }
        }
    });
    let mut out = opening();
    for _ in 0..20 {
        out.extend(frame(0x0, 0, 1, &framed_note(3.0)));
    }
    let _ = write.write_all(&out).await;
    let tiny = frame(0x0, 0, 1, &[0u8; 1][..payload_len]);
    let batch: Vec<u8> = tiny
        .iter()
        .copied()
        .cycle()
        .take(tiny.len() * 1000)
        .collect();
    for _ in 0..frames / 1000 {
        if write.write_all(&batch).await.is_err() {
            break; // the server closed the connection
        }
    }
    match tokio::time::timeout(Duration::from_secs(60), reader).await {
        Ok(code) => code.unwrap(),
        Err(_) => panic!("the server kept a hostile connection open for 60 s"),
    }
}

/// GOAWAY's ENHANCE_YOUR_CALM.
const CALM: Option<u32> = Some(0xb);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tiny_and_empty_data_frames_close_the_connection_with_memory_bounded() {
    let server = server();
    let (rss_before, _) = server.memory_kib();
    // Rounds one after another, then four connections at once: the peak must not grow with the rounds.
    let mut peaks = Vec::new();
    for round in 0..3 {
        let reason = hostile(server.addr(), 1, 200_000).await;
        assert_eq!(reason, CALM, "round {round}");
        peaks.push(server.memory_kib());
    }
    let at_once: Vec<_> = (0..4)
        .map(|_| tokio::spawn(hostile(server.addr(), 1, 200_000)))
        .collect();
    for h in at_once {
        assert_eq!(h.await.unwrap(), CALM);
    }
    peaks.push(server.memory_kib());
    // Empty DATA frames: h2 allows 100 in a connection's life.
    assert_eq!(hostile(server.addr(), 0, 1_000).await, CALM);
    peaks.push(server.memory_kib());
    println!(
        "hostile tiny frames: server RSS {rss_before} KiB before; (RSS, peak) KiB after 1-byte rounds 1-3, 4 at \
         once, empty frames: {peaks:?}"
    );
    let peak = peaks.iter().map(|p| p.1).max().unwrap();
    assert!(peak < MEMORY_BOUND_KIB, "peak {peak} KiB");
    // Sequential rounds reuse what the first took: no growth with each connection.
    assert!(
        // (glibc keeps some of what each connection freed: tens of MiB, not a connection's worth each time)
        peaks[2].1 <= peaks[0].1 + 32 * 1024,
        "peaks grew: {peaks:?}"
    );

    // And the server still serves.
    let mut c = hello::demo::service::hello_client::HelloClient::connect(server.url())
        .await
        .unwrap();
    c.get_feature(Point {
        latitude: 1.0,
        longitude: 1.0,
    })
    .await
    .unwrap();
}
