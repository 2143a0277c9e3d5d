//! Limits and the status codes the gRPC specification gives for them, for every RPC kind where they apply:
//! - a request message over the size limit: RESOURCE_EXHAUSTED (tonic's decoder says OUT_OF_RANGE; the generated
//!   server maps it), whether it is met before the handler runs or while the handler reads its request stream;
//! - a deadline (`grpc-timeout`): DEADLINE_EXCEEDED, for a handler still computing and for a response stream
//!   still going, and the handler is stopped;
//! - a call cancelled by its client stops its handler.
//!
//! The server's answers are read with a raw HTTP/2 client, so that no client-side timer or check gets in between.

mod reliability;

use bytes::Bytes;
use futures_util::StreamExt;
use hello::demo::Point;
use hello::demo::RouteNote;
use hello_tests::messages::note;
use hello_tests::probe::{ANSWER, FLOOD};
use hello_tests::probe::{HOLD, ProbeService, probe_client::ProbeClient};
use hello_tests::served::{Limits, Served, settle};
use prost::Message;
use reliability::raw::{self, Conn, call, connect, frame, framed, grpc_request, guard};
use std::io::Write;
use std::time::Duration;
use tonic::Code;

/// A message of `n` bytes that no method expects: only its length matters, it is refused before decoding.
fn oversized(n: usize) -> Bytes {
    frame(false, &vec![b'x'; n])
}

fn assert_over_limit(what: &str, answer: &raw::Answer) {
    let message = answer.expect(Code::ResourceExhausted);
    assert!(
        message.contains("the limit is: 1024 bytes"),
        "{what}: {message}"
    );
}

#[test]
fn requests_over_the_size_limit_are_resource_exhausted_for_every_kind() {
    let server = Served::hello(hello::demo::server::Config {
        max_message_size: 1024,
        grace_period: Duration::from_millis(200),
        ..Default::default()
    });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut conn = connect(server.addr()).await;
        let request = |path: &str| grpc_request(path).body(()).unwrap();

        // Unary and server streaming: the one request message is read before the handler runs.
        for path in ["/hello.Hello/GetFeature", "/hello.Hello/ListFeatures"] {
            let answer = call(&mut conn, request(path), vec![oversized(4096)], true).await;
            assert_over_limit(path, &answer);
        }
        // Client streaming: met by the handler while reading its stream, after a good point.
        let answer = call(
            &mut conn,
            request("/hello.Hello/RecordRoute"),
            vec![framed(&Point::new(10.0, 0.0)), oversized(4096)],
            true,
        )
        .await;
        assert_over_limit("RecordRoute", &answer);
        // Bidirectional: the response stream is under way (its headers sent: the second note is answered with
        // the first) when the big note comes; the status ends the stream, in the trailers.
        let answer = call(
            &mut conn,
            request("/hello.Hello/RouteChat"),
            vec![
                framed(&note(Point::new(10.0, 0.0), "small")),
                framed(&note(Point::new(10.0, 0.0), "small again")),
                oversized(4096),
            ],
            true,
        )
        .await;
        assert!(
            answer.headers.get("grpc-status").is_none(),
            "not trailers-only: {answer:?}"
        );
        assert_over_limit("RouteChat", &answer);

        // A gzip bomb: 64 KiB of zeros in a few dozen bytes, over the limit once inflated. tonic's own status:
        // RESOURCE_EXHAUSTED, without inflating more than the limit.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![0u8; 65536]).unwrap();
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 1024);
        let answer = call(
            &mut conn,
            grpc_request("/hello.Hello/GetFeature")
                .header("grpc-encoding", "gzip")
                .body(())
                .unwrap(),
            vec![frame(true, &bomb)],
            true,
        )
        .await;
        let message = answer.expect(Code::ResourceExhausted);
        assert!(message.contains("decompressing"), "{message}");

        // A message exactly at the limit is served.
        let overhead = note(Point::new(10.0, 0.0), &"y".repeat(1000)).encoded_len() - 1000;
        let at_limit = framed(&note(Point::new(10.0, 0.0), &"y".repeat(1024 - overhead)));
        assert_eq!(at_limit.len() - 5, 1024);
        let answer = call(
            &mut conn,
            request("/hello.Hello/RouteChat"),
            vec![at_limit],
            true,
        )
        .await;
        assert_eq!(answer.code(), Some(Code::Ok), "{answer:?}");
    });
}

#[test]
fn what_a_tonic_client_sees_over_the_limit_is_resource_exhausted() {
    let server = Served::probe(
        ProbeService::default(),
        Limits {
            decode: 1024,
            ..Limits::default()
        },
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut client = ProbeClient::connect(server.url()).await.unwrap();
        let notes = vec![
            note(Point::new(ANSWER, 0.0), "small"),
            note(Point::new(ANSWER, 0.0), &"z".repeat(4096)),
        ];
        let mut echoes = client
            .bidi(futures_util::stream::iter(notes))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(echoes.message().await.unwrap().unwrap().message, "small");
        let e = echoes.message().await.unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        let big = RouteNote {
            location: Some(Point::new(ANSWER, 0.0)),
            message: "w".repeat(4096),
        };
        // The unary path, through a client whose message type is bigger than the method's.
        let e = client_with_big_request(&server, big).await;
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
    });
}

/// Calls probe.Probe/Unary with a RouteNote instead of a Point, through tonic's generic client.
async fn client_with_big_request(server: &Served, note: RouteNote) -> tonic::Status {
    let channel = tonic::transport::Endpoint::new(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let codec = tonic_prost::ProstCodec::<RouteNote, hello::demo::Feature>::default();
    let path = http::uri::PathAndQuery::from_static("/probe.Probe/Unary");
    grpc.unary(tonic::Request::new(note), path, codec)
        .await
        .unwrap_err()
}

#[test]
fn a_response_over_the_limit_ends_the_call_with_resource_exhausted() {
    // tonic's encoder refuses it inside the response body (OUT_OF_RANGE); the generated server's body wrapper
    // gives the code the gRPC spec gives, as for a request over the limit.
    let server = Served::probe(
        ProbeService::default(),
        Limits {
            encode: 1024,
            ..Limits::default()
        },
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut conn = connect(server.addr()).await;
        let answer = call(
            &mut conn,
            grpc_request("/probe.Probe/Bidi").body(()).unwrap(),
            vec![framed(&note(Point::new(ANSWER, 0.0), &"e".repeat(2048)))],
            true,
        )
        .await;
        let message = answer.expect(Code::ResourceExhausted);
        assert!(
            message.contains("encoded message length too large"),
            "{message}"
        );
    });
}

/// A call on the probe with `grpc-timeout: 200m` whose request is `body`; the request stream is left open for
/// the client-streaming kinds (so that nothing but the deadline can end them), ended for the others (tonic
/// reads a unary request to its end before the handler runs).
async fn with_deadline(conn: &mut Conn, path: &str, body: Bytes) -> raw::Answer {
    let request = grpc_request(path)
        .header("grpc-timeout", "200m")
        .body(())
        .unwrap();
    call(conn, request, vec![body], !request_streams(path)).await
}

fn request_streams(path: &str) -> bool {
    path.ends_with("ClientStream") || path.ends_with("Bidi") || path.ends_with("RouteChat")
}

fn assert_deadline(what: &str, answer: &raw::Answer) {
    let message = answer.expect(Code::DeadlineExceeded);
    assert!(message.contains("200ms"), "{what}: {message}");
}

/// Waits until the probe's live handlers are `n`.
fn live_settles(probe: &ProbeService, n: usize, what: &str) {
    if let Err(seen) = settle(n, || probe.live()) {
        panic!("{what}: {seen} handlers still alive, expected {n}");
    }
}

#[test]
fn deadlines_end_calls_of_every_kind_with_deadline_exceeded_and_stop_their_handlers() {
    let probe = ProbeService::default();
    let server = Served::probe(probe.clone(), Limits::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut conn = connect(server.addr()).await;

        // Unary: the handler never answers.
        let answer = with_deadline(
            &mut conn,
            "/probe.Probe/Unary",
            framed(&Point::new(HOLD, 0.0)),
        )
        .await;
        assert_deadline("unary", &answer);
        assert!(answer.messages().is_empty());
        live_settles(&probe, 0, "unary");

        // Server streaming, one message and then nothing: the stream under way is ended, in its trailers.
        let answer = with_deadline(
            &mut conn,
            "/probe.Probe/ServerStream",
            framed(&Point::new(HOLD, 0.0)),
        )
        .await;
        assert_deadline("server stream", &answer);
        assert_eq!(answer.messages().len(), 1, "{answer:?}");
        live_settles(&probe, 0, "server stream");

        // Server streaming that never waits (always ready): stopped all the same.
        let request = grpc_request("/probe.Probe/ServerStream")
            .header("grpc-timeout", "100m")
            .body(())
            .unwrap();
        let answer = call(
            &mut conn,
            request,
            vec![framed(&Point::new(FLOOD, 0.0))],
            true,
        )
        .await;
        let message = answer.expect(Code::DeadlineExceeded);
        assert!(message.contains("100ms"), "{message}");
        assert!(!answer.messages().is_empty());
        live_settles(&probe, 0, "flooding server stream");

        // Client streaming: a point, and the request stream left open.
        let answer = with_deadline(
            &mut conn,
            "/probe.Probe/ClientStream",
            framed(&Point::new(HOLD, 0.0)),
        )
        .await;
        assert_deadline("client stream", &answer);
        live_settles(&probe, 0, "client stream");

        // Bidirectional: the note is echoed, then the call waits for more.
        let answer = with_deadline(
            &mut conn,
            "/probe.Probe/Bidi",
            framed(&note(Point::new(HOLD, 0.0), "hi")),
        )
        .await;
        assert_deadline("bidi", &answer);
        assert_eq!(answer.messages().len(), 1, "{answer:?}");
        live_settles(&probe, 0, "bidi");

        // The demo service's own streams too: RouteChat waiting for notes.
        let answer = with_deadline(
            &mut conn,
            "/hello.Hello/RouteChat",
            framed(&note(Point::new(10.0, 0.0), "hi")),
        )
        .await;
        assert_deadline("RouteChat", &answer);

        // A call that ends before its deadline is not touched by it.
        let request = grpc_request("/probe.Probe/ServerStream")
            .header("grpc-timeout", "10S")
            .body(())
            .unwrap();
        let answer = call(
            &mut conn,
            request,
            vec![framed(&Point::new(ANSWER, 0.0))],
            true,
        )
        .await;
        assert_eq!(answer.code(), Some(Code::Ok), "{answer:?}");
        assert_eq!(answer.messages().len(), 3);
    });
}

#[test]
fn a_cancelled_call_stops_its_handler_for_every_kind() {
    let probe = ProbeService::default();
    let server = Served::probe(probe.clone(), Limits::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // A raw client resets each stream (RST_STREAM CANCEL) while its handler holds the call open.
        let mut conn = connect(server.addr()).await;
        let calls = [
            ("/probe.Probe/Unary", framed(&Point::new(HOLD, 0.0))),
            ("/probe.Probe/ServerStream", framed(&Point::new(HOLD, 0.0))),
            ("/probe.Probe/ClientStream", framed(&Point::new(HOLD, 0.0))),
            (
                "/probe.Probe/Bidi",
                framed(&note(Point::new(HOLD, 0.0), "hi")),
            ),
        ];
        for (path, body) in calls {
            let before = probe.started();
            let (_response, mut stream) =
                raw::start(&mut conn, grpc_request(path).body(()).unwrap(), false).await;
            stream.send_data(body, !request_streams(path)).unwrap();
            guard("the handler starts", async {
                while probe.started() == before {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
            .await;
            assert_eq!(probe.live(), 1, "{path}");
            stream.send_reset(h2::Reason::CANCEL);
            live_settles(&probe, 0, path);
        }

        // A tonic client that drops its calls: the same.
        let mut client = ProbeClient::connect(format!("http://{}", server.addr()))
            .await
            .unwrap();
        let before = probe.started();
        let mut c = client.clone();
        let unary = tokio::spawn(async move { c.unary(Point::new(HOLD, 0.0)).await });
        let mut c = client.clone();
        let client_stream = tokio::spawn(async move {
            c.client_stream(
                futures_util::stream::iter([Point::new(HOLD, 0.0)])
                    .chain(futures_util::stream::pending()),
            )
            .await
        });
        let server_stream = client
            .server_stream(Point::new(HOLD, 0.0))
            .await
            .unwrap()
            .into_inner();
        // A bidi call is cancelled by dropping both halves: while the client's request stream is open, hyper keeps
        // sending it, and the HTTP/2 stream (so the call) is still open (RELIABILITY.md).
        let (notes, notes_rx) = tokio::sync::mpsc::channel(1);
        notes.send(note(Point::new(HOLD, 0.0), "hi")).await.unwrap();
        let bidi = client
            .bidi(tokio_stream::wrappers::ReceiverStream::new(notes_rx))
            .await
            .unwrap()
            .into_inner();
        guard("four handlers start", async {
            while probe.started() < before + 4 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await;
        assert_eq!(probe.live(), 4);
        unary.abort();
        live_settles(&probe, 3, "tonic client's dropped unary");
        drop(server_stream);
        live_settles(&probe, 2, "tonic client's dropped server stream");
        client_stream.abort();
        live_settles(&probe, 1, "tonic client's dropped client stream");
        drop(bidi);
        drop(notes);
        live_settles(&probe, 0, "tonic client's dropped bidi");
    });
}
