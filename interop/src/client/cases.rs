//! The standard interop cases of grpc's doc/interop-test-descriptions.md, each with the requests it specifies
//! and every assertion it lists, against any [`TestClient`]. A case returns `Err` with what exactly went wrong.

use super::{Requests, ResponseStream, TestClient};
use crate::messages::{
    BoolValue, EchoStatus, Empty, Payload, PayloadType, ResponseParameters, SimpleRequest,
    StreamingInputCallRequest, StreamingOutputCallRequest,
};
use crate::wire::{CallWire, ECHO_INITIAL, ECHO_TRAILING_BIN};
use std::fmt::Debug;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::metadata::MetadataValue;
use tonic::{Code, Request, Response, Status};

/// Every case this client runs, in the order `all` runs them.
pub const ALL: &[&str] = &[
    "empty_unary",
    "large_unary",
    "client_compressed_unary",
    "server_compressed_unary",
    "client_streaming",
    "client_compressed_streaming",
    "server_streaming",
    "server_compressed_streaming",
    "ping_pong",
    "half_duplex",
    "empty_stream",
    "cancel_after_begin",
    "cancel_after_first_response",
    "timeout_on_sleeping_server",
    "status_code_and_message",
    "special_status_message",
    "custom_metadata",
    "unimplemented_method",
    "unimplemented_service",
];

/// How long one case may take before it counts as failed.
pub const CASE_TIMEOUT: Duration = Duration::from_secs(30);

const LARGE_REQUEST: usize = 271_828;
const LARGE_RESPONSE: i32 = 314_159;
const REQUEST_SIZES: [usize; 4] = [27_182, 8, 1_828, 45_904];
const RESPONSE_SIZES: [i32; 4] = [31_415, 9, 2_653, 58_979];
const TEST_STATUS_MESSAGE: &str = "test status message";
const SPECIAL_STATUS_MESSAGE: &str =
    "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
const INITIAL_VALUE: &str = "test_initial_metadata_value";
const TRAILING_VALUE: [u8; 3] = [0xab, 0xab, 0xab];

/// What a case found wrong.
pub type Outcome = Result<(), String>;

/// Runs one case by name, within [`CASE_TIMEOUT`].
pub async fn run<C: TestClient>(client: &C, case: &str) -> Outcome {
    let c = client.clone();
    let case_future = async move {
        match case {
            "empty_unary" => empty_unary(c).await,
            "large_unary" => large_unary(c).await,
            "client_compressed_unary" => client_compressed_unary(c).await,
            "server_compressed_unary" => server_compressed_unary(c).await,
            "client_streaming" => client_streaming(c).await,
            "client_compressed_streaming" => client_compressed_streaming(c).await,
            "server_streaming" => server_streaming(c).await,
            "server_compressed_streaming" => server_compressed_streaming(c).await,
            "ping_pong" => ping_pong(c).await,
            "half_duplex" => half_duplex(c).await,
            "empty_stream" => empty_stream(c).await,
            "cancel_after_begin" => cancel_after_begin(c).await,
            "cancel_after_first_response" => cancel_after_first_response(c).await,
            "timeout_on_sleeping_server" => timeout_on_sleeping_server(c).await,
            "status_code_and_message" => status_code_and_message(c).await,
            "special_status_message" => special_status_message(c).await,
            "custom_metadata" => custom_metadata(c).await,
            "unimplemented_method" => unimplemented_method(c).await,
            "unimplemented_service" => unimplemented_service(c).await,
            other => Err(format!(
                "unknown test case `{other}`; known: {}",
                ALL.join(", ")
            )),
        }
    };
    tokio::time::timeout(CASE_TIMEOUT, case_future)
        .await
        .unwrap_or_else(|_| Err(format!("did not finish within {CASE_TIMEOUT:?}")))
}

// ---- helpers --------------------------------------------------------------------------------------------------

fn zeros(size: usize) -> Payload {
    Payload {
        r#type: PayloadType::Compressable as i32,
        body: vec![0; size],
    }
}

fn show(status: &Status) -> String {
    format!("{:?} {:?}", status.code(), status.message())
}

fn ok<T>(what: &str, result: Result<Response<T>, Status>) -> Result<Response<T>, String> {
    result.map_err(|status| format!("{what}: failed with {}", show(&status)))
}

/// The payload is `size` zero bytes of type COMPRESSABLE.
fn check_payload(what: &str, payload: Option<&Payload>, size: i32) -> Outcome {
    let Some(payload) = payload else {
        return Err(format!("{what}: no payload, expected {size} bytes"));
    };
    let len = payload.body.len();
    if usize::try_from(size) != Ok(len) {
        return Err(format!("{what}: payload of {len} bytes, expected {size}"));
    }
    if let Some(at) = payload.body.iter().position(|&b| b != 0) {
        return Err(format!(
            "{what}: payload byte {at} is {:#04x}, expected zeros",
            payload.body[at]
        ));
    }
    if payload.r#type != PayloadType::Compressable as i32 {
        return Err(format!(
            "{what}: payload type {}, expected COMPRESSABLE (0)",
            payload.r#type
        ));
    }
    Ok(())
}

/// The call failed with `code` (and `message`, when given).
fn check_status<T: Debug>(
    what: &str,
    result: Result<T, Status>,
    code: Code,
    message: Option<&str>,
) -> Outcome {
    match result {
        Ok(value) => Err(format!(
            "{what}: succeeded ({value:?}), expected status {code:?}"
        )),
        Err(status) if status.code() != code => Err(format!(
            "{what}: failed with {}, expected {code:?}",
            show(&status)
        )),
        Err(status) => match message {
            Some(message) if status.message() != message => Err(format!(
                "{what}: status message {:?}, expected {message:?}",
                status.message()
            )),
            _ => Ok(()),
        },
    }
}

fn flags(flags: &[bool]) -> String {
    let words: Vec<&str> = flags
        .iter()
        .map(|&c| if c { "compressed" } else { "uncompressed" })
        .collect();
    format!("[{}]", words.join(", "))
}

fn stream_of<M: Send + 'static>(messages: Vec<M>) -> Requests<M> {
    Box::pin(tokio_stream::iter(messages))
}

fn output_request(sizes: &[i32]) -> StreamingOutputCallRequest {
    StreamingOutputCallRequest {
        response_parameters: sizes
            .iter()
            .map(|&size| ResponseParameters {
                size,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn ping(index: usize) -> StreamingOutputCallRequest {
    StreamingOutputCallRequest {
        payload: Some(zeros(REQUEST_SIZES[index])),
        ..output_request(&[RESPONSE_SIZES[index]])
    }
}

/// Reads a response stream to its end: the payload sizes of its messages (checked to be zeros), in order.
async fn read_all<S: ResponseStream>(what: &str, stream: &mut S) -> Result<Vec<i32>, String> {
    let mut sizes = Vec::new();
    loop {
        match stream.message().await {
            Ok(Some(message)) => {
                let size = message.payload.as_ref().map_or(0, |p| p.body.len());
                let size = i32::try_from(size)
                    .map_err(|_| format!("{what}: a response of {size} bytes"))?;
                check_payload(
                    &format!("{what}: response {}", sizes.len()),
                    message.payload.as_ref(),
                    size,
                )?;
                sizes.push(size);
            }
            Ok(None) => return Ok(sizes),
            Err(status) => {
                return Err(format!(
                    "{what}: the stream failed after {} responses with {}",
                    sizes.len(),
                    show(&status)
                ));
            }
        }
    }
}

// ---- the cases ------------------------------------------------------------------------------------------------

async fn empty_unary<C: TestClient>(mut c: C) -> Outcome {
    let response = ok("EmptyCall", c.empty_call(Request::new(Empty {})).await)?;
    if *response.get_ref() != (Empty {}) {
        return Err(format!(
            "EmptyCall: response {:?}, expected Empty",
            response.get_ref()
        ));
    }
    Ok(())
}

fn large_request() -> SimpleRequest {
    SimpleRequest {
        response_type: PayloadType::Compressable as i32,
        response_size: LARGE_RESPONSE,
        payload: Some(zeros(LARGE_REQUEST)),
        ..Default::default()
    }
}

async fn large_unary<C: TestClient>(mut c: C) -> Outcome {
    let response = ok(
        "UnaryCall",
        c.unary_call(Request::new(large_request())).await,
    )?;
    check_payload(
        "UnaryCall",
        response.get_ref().payload.as_ref(),
        LARGE_RESPONSE,
    )
}

async fn client_compressed_unary<C: TestClient>(c: C) -> Outcome {
    let request = |expect| SimpleRequest {
        expect_compressed: Some(BoolValue { value: expect }),
        ..large_request()
    };
    let probe = c.clone().unary_call(Request::new(request(true))).await;
    check_status(
        "probe (uncompressed, expect_compressed=true)",
        probe,
        Code::InvalidArgument,
        None,
    )?;

    let what = "compressed request, expect_compressed=true";
    let response = ok(
        what,
        c.clone()
            .gzip_requests()
            .unary_call(Request::new(request(true)))
            .await,
    )?;
    check_payload(what, response.get_ref().payload.as_ref(), LARGE_RESPONSE)?;

    let what = "uncompressed request, expect_compressed=false";
    let response = ok(
        what,
        c.clone().unary_call(Request::new(request(false))).await,
    )?;
    check_payload(what, response.get_ref().payload.as_ref(), LARGE_RESPONSE)
}

async fn server_compressed_unary<C: TestClient>(c: C) -> Outcome {
    for compressed in [true, false] {
        let what = format!("UnaryCall with response_compressed={compressed}");
        let wire = CallWire::default();
        let mut request = Request::new(SimpleRequest {
            response_compressed: Some(BoolValue { value: compressed }),
            ..large_request()
        });
        request.extensions_mut().insert(wire.clone());
        let response = ok(&what, c.clone().unary_call(request).await)?;
        check_payload(&what, response.get_ref().payload.as_ref(), LARGE_RESPONSE)?;
        let seen = wire.received();
        if seen != [compressed] {
            return Err(format!(
                "{what}: response messages came {}, expected {}",
                flags(&seen),
                flags(&[compressed])
            ));
        }
    }
    Ok(())
}

async fn client_streaming<C: TestClient>(mut c: C) -> Outcome {
    let requests = REQUEST_SIZES
        .iter()
        .map(|&n| StreamingInputCallRequest {
            payload: Some(zeros(n)),
            ..Default::default()
        })
        .collect();
    let response = ok(
        "StreamingInputCall",
        c.streaming_input_call(Request::new(stream_of(requests)))
            .await,
    )?;
    let total = response.get_ref().aggregated_payload_size;
    if total != 74_922 {
        return Err(format!(
            "StreamingInputCall: aggregated_payload_size {total}, expected 74922"
        ));
    }
    Ok(())
}

async fn client_compressed_streaming<C: TestClient>(c: C) -> Outcome {
    let request = |expect, size| StreamingInputCallRequest {
        payload: Some(zeros(size)),
        expect_compressed: Some(BoolValue { value: expect }),
    };
    let probe = c
        .clone()
        .streaming_input_call(Request::new(stream_of(vec![request(true, 27_182)])))
        .await;
    check_status(
        "probe (uncompressed, expect_compressed=true)",
        probe,
        Code::InvalidArgument,
        None,
    )?;

    // One call: the first message compressed, the second not.
    let wire = CallWire::default();
    wire.send_next(true);
    wire.send_next(false);
    let mut call = Request::new(stream_of(vec![
        request(true, 27_182),
        request(false, 45_904),
    ]));
    call.extensions_mut().insert(wire);
    let what = "StreamingInputCall (compressed, then uncompressed)";
    let response = ok(what, c.gzip_requests().streaming_input_call(call).await)?;
    let total = response.get_ref().aggregated_payload_size;
    if total != 73_086 {
        return Err(format!(
            "{what}: aggregated_payload_size {total}, expected 73086"
        ));
    }
    Ok(())
}

async fn server_streaming<C: TestClient>(mut c: C) -> Outcome {
    let what = "StreamingOutputCall";
    let mut stream = ok(
        what,
        c.streaming_output_call(Request::new(output_request(&RESPONSE_SIZES)))
            .await,
    )?
    .into_inner();
    let sizes = read_all(what, &mut stream).await?;
    if sizes != RESPONSE_SIZES {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected {RESPONSE_SIZES:?}"
        ));
    }
    Ok(())
}

async fn server_compressed_streaming<C: TestClient>(mut c: C) -> Outcome {
    let what = "StreamingOutputCall (compressed, then uncompressed)";
    let parameters = |size, compressed| ResponseParameters {
        size,
        compressed: Some(BoolValue { value: compressed }),
        ..Default::default()
    };
    let wire = CallWire::default();
    let mut request = Request::new(StreamingOutputCallRequest {
        response_parameters: vec![parameters(31_415, true), parameters(92_653, false)],
        ..Default::default()
    });
    request.extensions_mut().insert(wire.clone());
    let mut stream = ok(what, c.streaming_output_call(request).await)?.into_inner();
    let sizes = read_all(what, &mut stream).await?;
    if sizes != [31_415, 92_653] {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected [31415, 92653]"
        ));
    }
    let seen = wire.received();
    if seen != [true, false] {
        return Err(format!(
            "{what}: response messages came {}, expected {}",
            flags(&seen),
            flags(&[true, false])
        ));
    }
    Ok(())
}

async fn ping_pong<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall";
    let (tx, rx) = mpsc::channel(1);
    let closed = |_| format!("{what}: the request stream closed early");
    tx.send(ping(0)).await.map_err(closed)?;
    let mut responses = ok(
        what,
        c.full_duplex_call(Request::new(Box::pin(ReceiverStream::new(rx))))
            .await,
    )?
    .into_inner();
    for (index, &size) in RESPONSE_SIZES.iter().enumerate() {
        if index > 0 {
            tx.send(ping(index)).await.map_err(closed)?;
        }
        match responses.message().await {
            Ok(Some(message)) => check_payload(
                &format!("{what}: response {index}"),
                message.payload.as_ref(),
                size,
            )?,
            Ok(None) => {
                return Err(format!(
                    "{what}: the call ended after {index} responses, before the client half-closed"
                ));
            }
            Err(status) => {
                return Err(format!(
                    "{what}: failed after {index} responses with {}",
                    show(&status)
                ));
            }
        }
    }
    drop(tx);
    match responses.message().await {
        Ok(None) => Ok(()),
        Ok(Some(_)) => Err(format!("{what}: a fifth response, expected four")),
        Err(status) => Err(format!(
            "{what}: failed after the client half-closed with {}",
            show(&status)
        )),
    }
}

/// Not in the descriptions but in grpc's C++ client: requests, half-close, then all the responses in order.
async fn half_duplex<C: TestClient>(mut c: C) -> Outcome {
    let what = "HalfDuplexCall";
    let requests = RESPONSE_SIZES
        .iter()
        .map(|&size| output_request(&[size]))
        .collect();
    let mut responses = ok(
        what,
        c.half_duplex_call(Request::new(stream_of(requests))).await,
    )?
    .into_inner();
    let sizes = read_all(what, &mut responses).await?;
    if sizes != RESPONSE_SIZES {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected {RESPONSE_SIZES:?}"
        ));
    }
    Ok(())
}

async fn empty_stream<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall with no requests";
    let mut responses = ok(
        what,
        c.full_duplex_call(Request::new(stream_of(Vec::new())))
            .await,
    )?
    .into_inner();
    let sizes = read_all(what, &mut responses).await?;
    if !sizes.is_empty() {
        return Err(format!("{what}: {} responses, expected none", sizes.len()));
    }
    Ok(())
}

/// A request stream that reports when the call first asks it for a message (the call has begun: its headers
/// are out), and never gives one.
struct Begun(Option<oneshot::Sender<()>>);

impl Stream for Begun {
    type Item = StreamingInputCallRequest;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(begun) = self.0.take() {
            let _ = begun.send(());
        }
        // Never woken: the call is cancelled, not continued.
        Poll::Pending
    }
}

async fn cancel_after_begin<C: TestClient>(mut c: C) -> Outcome {
    let (begun_tx, begun_rx) = oneshot::channel();
    let call = c.streaming_input_call(Request::new(Box::pin(Begun(Some(begun_tx)))));
    tokio::select! {
        result = call => Err(format!("StreamingInputCall: ended before the client cancelled it: {result:?}")),
        // Dropping the call future cancels it (RST_STREAM CANCEL): the call's status is CANCELLED.
        begun = begun_rx => begun.map_err(|_| "StreamingInputCall: the call never began".to_owned()),
    }
}

async fn cancel_after_first_response<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall";
    let (tx, rx) = mpsc::channel(1);
    tx.send(ping(0))
        .await
        .map_err(|_| format!("{what}: the request stream closed early"))?;
    let mut responses = ok(
        what,
        c.full_duplex_call(Request::new(Box::pin(ReceiverStream::new(rx))))
            .await,
    )?
    .into_inner();
    match responses.message().await {
        Ok(Some(message)) => check_payload(
            &format!("{what}: response 0"),
            message.payload.as_ref(),
            RESPONSE_SIZES[0],
        )?,
        Ok(None) => return Err(format!("{what}: ended with no response")),
        Err(status) => {
            return Err(format!(
                "{what}: failed before its first response with {}",
                show(&status)
            ));
        }
    }
    // Cancel: drop the responses and then the requests; the call's status is CANCELLED.
    drop(responses);
    drop(tx);
    Ok(())
}

async fn timeout_on_sleeping_server<C: TestClient>(mut c: C) -> Outcome {
    let what = "FullDuplexCall with a 1 ms deadline";
    let timeout = Duration::from_millis(1);
    let (tx, rx) = mpsc::channel(1);
    tx.send(StreamingOutputCallRequest {
        payload: Some(zeros(27_182)),
        ..Default::default()
    })
    .await
    .map_err(|_| format!("{what}: the request stream closed early"))?;
    let mut request = Request::new(Box::pin(ReceiverStream::new(rx)) as Requests<_>);
    request.set_timeout(timeout);
    let deadline = Instant::now() + timeout;
    // The client enforces its own deadline, as every gRPC client does: whatever the server does after it, the
    // call ends DEADLINE_EXCEEDED.
    let call = async {
        let mut responses = c.full_duplex_call(request).await?.into_inner();
        while responses.message().await?.is_some() {}
        Ok::<(), Status>(())
    };
    let result = tokio::time::timeout_at(deadline, call).await;
    drop(tx);
    match result {
        Err(_elapsed) => Ok(()),
        Ok(Err(status))
            if status.code() == Code::DeadlineExceeded || Instant::now() >= deadline =>
        {
            Ok(())
        }
        Ok(Err(status)) => Err(format!(
            "{what}: failed before the deadline with {}",
            show(&status)
        )),
        Ok(Ok(())) => Err(format!(
            "{what}: ended OK before the deadline, while the client still had requests open"
        )),
    }
}

fn echo_request<M>(what: &str, message: M) -> Result<Request<M>, String> {
    let mut request = Request::new(message);
    let initial = MetadataValue::try_from(INITIAL_VALUE).map_err(|e| format!("{what}: {e}"))?;
    request.metadata_mut().insert(ECHO_INITIAL, initial);
    request.metadata_mut().insert_bin(
        ECHO_TRAILING_BIN,
        MetadataValue::from_bytes(&TRAILING_VALUE),
    );
    Ok(request)
}

fn check_initial(what: &str, metadata: &tonic::metadata::MetadataMap) -> Outcome {
    match metadata.get(ECHO_INITIAL).map(|v| v.to_str()) {
        Some(Ok(INITIAL_VALUE)) => Ok(()),
        other => Err(format!(
            "{what}: initial metadata {ECHO_INITIAL} is {other:?}, expected {INITIAL_VALUE:?}"
        )),
    }
}

fn check_trailing(what: &str, metadata: &tonic::metadata::MetadataMap) -> Outcome {
    match metadata.get_bin(ECHO_TRAILING_BIN).map(|v| v.to_bytes()) {
        Some(Ok(bytes)) if bytes[..] == TRAILING_VALUE => Ok(()),
        other => Err(format!(
            "{what}: trailing metadata {ECHO_TRAILING_BIN} is {other:?}, expected 0xababab"
        )),
    }
}

async fn custom_metadata<C: TestClient>(c: C) -> Outcome {
    // UnaryCall: tonic merges headers and trailers into one map, so the wire says which came where.
    let what = "UnaryCall";
    let wire = CallWire::default();
    let mut request = echo_request(what, large_request())?;
    request.extensions_mut().insert(wire.clone());
    let response = ok(what, c.clone().unary_call(request).await)?;
    check_initial(what, response.metadata())?;
    check_trailing(what, response.metadata())?;
    if !wire.headers().contains_key(ECHO_INITIAL) {
        return Err(format!(
            "{what}: {ECHO_INITIAL} came in the trailers, expected the headers"
        ));
    }
    if !wire.trailers().contains_key(ECHO_TRAILING_BIN) {
        return Err(format!(
            "{what}: {ECHO_TRAILING_BIN} came in the headers, expected the trailers"
        ));
    }

    let what = "FullDuplexCall";
    let message = StreamingOutputCallRequest {
        payload: Some(zeros(LARGE_REQUEST)),
        ..output_request(&[LARGE_RESPONSE])
    };
    let request = echo_request(what, stream_of(vec![message]))?;
    let response = ok(what, c.clone().full_duplex_call(request).await)?;
    check_initial(what, response.metadata())?;
    let mut responses = response.into_inner();
    let sizes = read_all(what, &mut responses).await?;
    if sizes != [LARGE_RESPONSE] {
        return Err(format!(
            "{what}: response sizes {sizes:?}, expected [{LARGE_RESPONSE}]"
        ));
    }
    match responses.trailers().await {
        Ok(Some(trailers)) => check_trailing(what, &trailers),
        Ok(None) => Err(format!("{what}: no trailers")),
        Err(status) => Err(format!(
            "{what}: reading the trailers failed with {}",
            show(&status)
        )),
    }
}

async fn status_code_and_message<C: TestClient>(c: C) -> Outcome {
    let echo = || {
        Some(EchoStatus {
            code: 2,
            message: TEST_STATUS_MESSAGE.to_owned(),
        })
    };
    let unary = c
        .clone()
        .unary_call(Request::new(SimpleRequest {
            response_status: echo(),
            ..Default::default()
        }))
        .await;
    check_status("UnaryCall", unary, Code::Unknown, Some(TEST_STATUS_MESSAGE))?;

    let request = StreamingOutputCallRequest {
        response_status: echo(),
        ..Default::default()
    };
    let mut c = c;
    let duplex = async {
        let mut responses = c
            .full_duplex_call(Request::new(stream_of(vec![request])))
            .await?
            .into_inner();
        let mut count = 0;
        while responses.message().await?.is_some() {
            count += 1;
        }
        Ok::<_, Status>(format!("{count} responses"))
    };
    check_status(
        "FullDuplexCall",
        duplex.await,
        Code::Unknown,
        Some(TEST_STATUS_MESSAGE),
    )
}

async fn special_status_message<C: TestClient>(mut c: C) -> Outcome {
    let echo = Some(EchoStatus {
        code: 2,
        message: SPECIAL_STATUS_MESSAGE.to_owned(),
    });
    let unary = c
        .unary_call(Request::new(SimpleRequest {
            response_status: echo,
            ..Default::default()
        }))
        .await;
    check_status(
        "UnaryCall",
        unary,
        Code::Unknown,
        Some(SPECIAL_STATUS_MESSAGE),
    )
}

async fn unimplemented_method<C: TestClient>(mut c: C) -> Outcome {
    let result = c.unimplemented_call(Request::new(Empty {})).await;
    check_status(
        "TestService/UnimplementedCall",
        result,
        Code::Unimplemented,
        None,
    )
}

async fn unimplemented_service<C: TestClient>(mut c: C) -> Outcome {
    let result = c.unimplemented_service_call(Request::new(Empty {})).await;
    check_status(
        "UnimplementedService/UnimplementedCall",
        result,
        Code::Unimplemented,
        None,
    )
}
