//! The seed's own Python programs (grpcio, stubs from grpcio-tools, changed only in their address) against ours.
//!
//! - the seed's `hello_client.py` against our `hello-server` binary: what it printed is checked line by line;
//! - our generated `HelloClient` and our `hello-client` binary against the seed's `hello_server.py`: all four
//!   calls succeed with the values that server gives (北京, ten "Beijing-Shanghai", 1/2/3/4, notes echoed);
//! - and, to tell a broken setup from a broken server, the seed's client against the seed's server.
//!
//! The Python side is set up by scripts/python-env.sh (run here on first use); if it cannot be, these fail.

use futures_util::StreamExt;
use hello::demo::Point;
use hello::demo::hello_client::HelloClient;
use hello::demo::{Rectangle, RouteNote};
use hello_tests::bins::hello_bin;
use hello_tests::process::{self, Server, within};
use hello_tests::python;
use std::process::Command;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// A message as protobuf's Python text format prints it, followed by the blank line of `print(message)`.
fn printed_note(text: &str) -> String {
    format!("location {{\n  latitude: 1\n  longitude: 2\n}}\nmessage: \"{text}\"\n\n")
}

/// The seed client's output with its one unpredictable line, RecordRoute's `elapsed_time` (absent when zero),
/// taken out and returned apart.
fn split_elapsed(stdout: &str) -> (String, Option<u32>) {
    let mut elapsed = None;
    let mut rest = String::new();
    for line in stdout.split_inclusive('\n') {
        match line.trim_end().strip_prefix("elapsed_time: ") {
            Some(n) if elapsed.is_none() => {
                elapsed = Some(n.parse().expect("elapsed_time is a number"))
            }
            _ => rest.push_str(line),
        }
    }
    (rest, elapsed)
}

#[test]
fn seed_client_against_seed_server() {
    let py = python::env();
    let server = py.spawn_seed_server();
    let out = py
        .run_seed_client(server.addr())
        .expect_success("the seed's hello_client.py");
    let mut want =
        String::from("name: \"北京\"\nlocation {\n  latitude: 39.92\n  longitude: 116.46\n}\n\n");
    want +=
        &"name: \"Beijing-Shanghai\"\nlocation {\n  latitude: 1\n  longitude: 2\n}\n\n".repeat(10);
    want += "point_count: 1\nfeature_count: 2\ndistance: 3\nelapsed_time: 4\n\n";
    want += &printed_note("good job!").repeat(10);
    assert_eq!(out.stdout, want, "stderr:\n{}", out.stderr);
}

#[test]
fn seed_client_against_our_server_binary() {
    let py = python::env();
    let mut cmd = Command::new(hello_bin("hello-server"));
    cmd.args(["--addr", "127.0.0.1:0"]);
    let server = Server::spawn("hello-server", cmd);
    let out = py
        .run_seed_client(server.addr())
        .expect_success("the seed's hello_client.py");

    // What RouteGuide answers to the seed's four calls, on a fresh server:
    // GetFeature(39.92, 116.46): 北京, from the feature database, at its location;
    let mut want =
        String::from("name: \"北京\"\nlocation {\n  latitude: 39.92\n  longitude: 116.46\n}\n\n");
    // ListFeatures((1, 2), (3, 4)): nothing, the database holds places in China only;
    // RecordRoute, ten times (1, 2): ten points, no feature, no distance (zeros are not printed);
    want += "point_count: 10\n\n";
    // RouteChat, ten notes at (1, 2): each is answered with the notes before it, 0 + 1 + ... + 9 of them.
    want += &printed_note("good job!").repeat(45);
    let (got, elapsed) = split_elapsed(&out.stdout);
    assert_eq!(
        got,
        want,
        "stderr:\n{}\nserver stderr:\n{}",
        out.stderr,
        server.stderr()
    );
    // Whole seconds between the first and the last point: at most the client's whole run.
    let elapsed = elapsed.unwrap_or(0);
    assert!(
        u64::from(elapsed) <= out.took.as_secs() + 1,
        "elapsed_time {elapsed} > the run's {:?}",
        out.took
    );
}

#[tokio::test]
async fn generated_client_against_seed_server() {
    let server = python::env().spawn_seed_server();
    let mut client = within("connect", HelloClient::connect(server.url()))
        .await
        .expect("connect to the seed's server");

    let feature = within("GetFeature", client.get_feature(Point::new(39.92, 116.46)))
        .await
        .expect("GetFeature");
    let feature = feature.into_inner();
    assert_eq!(feature.name, "北京");
    assert_eq!(feature.location, Some(Point::new(39.92, 116.46)));

    let rect = Rectangle {
        lo: Some(Point::new(1.0, 2.0)),
        hi: Some(Point::new(3.0, 4.0)),
    };
    let features = within("ListFeatures", client.list_features(rect))
        .await
        .expect("ListFeatures");
    let features: Vec<_> = within("ListFeatures' stream", features.into_inner().collect()).await;
    assert_eq!(features.len(), 10);
    for f in features {
        let f = f.expect("a ListFeatures message");
        assert_eq!(f.name, "Beijing-Shanghai");
        assert_eq!(
            f.location,
            Some(Point::new(1.0, 2.0)),
            "the seed's server answers at the rectangle's lo"
        );
    }

    // The seed's RecordRoute answers after the first point without reading the rest: send just one, so that the
    // answer cannot race with points still being sent.
    let route = tokio_stream::iter(vec![Point::new(1.0, 2.0)]);
    let summary = within("RecordRoute", client.record_route(route))
        .await
        .expect("RecordRoute")
        .into_inner();
    let figures = (
        summary.point_count,
        summary.feature_count,
        summary.distance,
        summary.elapsed_time,
    );
    assert_eq!(figures, (1, 2, 3, 4));

    // RouteChat, interleaved: each note goes out after the echo of the previous one has come back. grpcio's server
    // sends its response headers only with its first answer, and a tonic client's call returns with the headers,
    // so the first note must be on its way before the call is awaited.
    let notes: Vec<RouteNote> = ["good job!", "北京 你好", ""]
        .into_iter()
        .enumerate()
        .map(|(i, text)| RouteNote {
            location: Some(Point::new(i as f32, -(i as f32))),
            message: text.to_owned(),
        })
        .collect();
    let (tx, rx) = mpsc::channel(1);
    tx.send(notes[0].clone())
        .await
        .expect("the channel is open");
    let echoes = within("RouteChat", client.route_chat(ReceiverStream::new(rx)))
        .await
        .expect("RouteChat");
    let mut echoes = echoes.into_inner();
    for (i, note) in notes.iter().enumerate() {
        if i > 0 {
            tx.send(note.clone()).await.expect("the call is open");
        }
        let echo = within("a RouteChat echo", echoes.message())
            .await
            .expect("an echo");
        assert_eq!(echo.as_ref(), Some(note));
    }
    drop(tx);
    assert!(
        within("RouteChat's end", echoes.next()).await.is_none(),
        "nothing after the last echo"
    );
}

#[test]
fn hello_client_binary_against_seed_server() {
    let client = hello_bin("hello-client");
    let server = python::env().spawn_seed_server();
    let mut cmd = Command::new(client);
    cmd.args(["--addr", &server.url(), "--json"]);
    let out = process::run("hello-client", cmd).expect_success("hello-client");

    // The demo's four calls (GetFeature at 北京, ListFeatures from 北京 to 上海, RecordRoute, RouteChat with five
    // notes at 北京 and 上海), one JSON object per message received; the seed's server echoes what it is sent.
    let beijing = r#"{"latitude":39.92,"longitude":116.46}"#;
    let shanghai = r#"{"latitude":31.23,"longitude":121.47}"#;
    let mut want = vec![format!(r#"{{"name":"北京","location":{beijing}}}"#)];
    want.extend((0..10).map(|_| format!(r#"{{"name":"Beijing-Shanghai","location":{beijing}}}"#)));
    want.push(r#"{"point_count":1,"feature_count":2,"distance":3,"elapsed_time":4}"#.to_owned());
    for (at, text) in [
        (beijing, "first at 北京"),
        (beijing, "second at 北京"),
        (shanghai, "first at 上海"),
        (beijing, "third at 北京"),
        (shanghai, "second at 上海"),
    ] {
        want.push(format!(r#"{{"location":{at},"message":"{text}"}}"#));
    }
    let got: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(got, want, "stderr:\n{}", out.stderr);
}
