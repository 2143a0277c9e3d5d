//! `status_code_and_message` as tonic's own interop client checks it (interop/src/client_prost.rs of the tonic
//! repository; not copied): the FullDuplexCall whose one request asks for a status must fail at
//! `full_duplex_call(..).await`, that is, the server must answer trailers-only. The standard case (ours, in
//! `client/cases/status.rs`) also accepts headers then trailers, as the interop descriptions allow, so it cannot
//! tell. Our server reads FullDuplexCall's requests on a task of its own, the path where the headers' wait is
//! released by a wake from another task (hello/src/call/watch.rs).

mod common;

use interop::client::{Requests, TestClient};
use interop::messages::{EchoStatus, SimpleRequest, StreamingOutputCallRequest};
use tonic::{Code, Request};

const MESSAGE: &str = "test status message";

fn echo() -> Option<EchoStatus> {
    Some(EchoStatus {
        code: 2,
        message: MESSAGE.to_owned(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_duplex_status_is_trailers_only_as_tonics_interop_client_expects() {
    let server = common::start_ours(None).await;
    let mut client = common::our_client(&server).await;

    let unary = client
        .unary_call(Request::new(SimpleRequest {
            response_status: echo(),
            ..Default::default()
        }))
        .await
        .expect_err("UnaryCall must fail");
    assert_eq!(unary.code(), Code::Unknown);
    assert_eq!(unary.message(), MESSAGE);

    const CALLS: usize = 200;
    let mut headers_first = 0;
    for _ in 0..CALLS {
        let request = StreamingOutputCallRequest {
            response_status: echo(),
            ..Default::default()
        };
        let requests: Requests<StreamingOutputCallRequest> =
            Box::pin(tokio_stream::iter(vec![request]));
        match client.full_duplex_call(Request::new(requests)).await {
            Err(status) => {
                assert_eq!(status.code(), Code::Unknown, "{status:?}");
                assert_eq!(status.message(), MESSAGE);
            }
            Ok(_) => headers_first += 1,
        }
    }
    println!("FullDuplexCall: {headers_first} of {CALLS} answered headers before the status");
    // 1% allowed for a starved client whose request data comes more than SETTLE after its headers. (Here none did
    // even with no settle at all: this server's reader task first runs after the connection has read the request.
    // Where the settle matters, a handler polling in its own task: tests/tests/trailers_only.rs.)
    assert!(headers_first <= CALLS / 100, "{headers_first} of {CALLS}");
    drop(client);
    server.stop().await;
}
