//! The per-call log line (target `hello::call`, debug): method, gRPC status, duration, one line per call.

use hello::demo::Point;
use hello_tests::demo::{HelloClientOf, quick, start};
use hello_tests::messages::rect;
use std::sync::{Arc, Mutex};

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn each_call_is_logged_with_method_status_and_duration() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("hello::call=debug")
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    // The global subscriber, in a test binary of its own: a thread-local one would miss events of the server's
    // threads, and callsites cached by other tests running alongside.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = start(quick()).await;
    let mut c = server.client().await;
    c.get_feature(Point::new(39.92, 116.46)).await.unwrap();
    c.get_feature(Point::new(99.0, 0.0)).await.unwrap_err();
    let all = rect(Point::new(-90.0, -180.0), Point::new(90.0, 180.0));
    let mut s = c.list_features(all).await.unwrap().into_inner();
    while s.message().await.unwrap().is_some() {}
    drop(c);
    server.stop().await;

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("hello::call")).collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].contains("DEBUG")
            && lines[0].contains("method=/hello.Hello/GetFeature status=Ok duration=")
    );
    assert!(
        lines[1].contains("method=/hello.Hello/GetFeature status=InvalidArgument duration="),
        "{text}"
    );
    assert!(
        lines[2].contains("method=/hello.Hello/ListFeatures status=Ok duration="),
        "{text}"
    );
}
