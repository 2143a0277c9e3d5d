//! The standard interop cases of grpc's doc/interop-test-descriptions.md, each with the requests it specifies
//! and every assertion it lists, against any [`TestClient`]. A case returns `Err` with what exactly went wrong.

mod lifecycle;
mod status;
mod streaming;
mod unary;

use super::{Requests, ResponseStream, TestClient};
use crate::messages::{
    BoolValue, EchoStatus, Empty, Payload, PayloadType, ResponseParameters, SimpleRequest,
    StreamingInputCallRequest, StreamingOutputCallRequest,
};
use crate::wire::{CallWire, ECHO_INITIAL, ECHO_TRAILING_BIN};
use std::time::Duration;
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
            "empty_unary" => unary::empty_unary(c).await,
            "large_unary" => unary::large_unary(c).await,
            "client_compressed_unary" => unary::client_compressed_unary(c).await,
            "server_compressed_unary" => unary::server_compressed_unary(c).await,
            "client_streaming" => streaming::client_streaming(c).await,
            "client_compressed_streaming" => streaming::client_compressed_streaming(c).await,
            "server_streaming" => streaming::server_streaming(c).await,
            "server_compressed_streaming" => streaming::server_compressed_streaming(c).await,
            "ping_pong" => streaming::ping_pong(c).await,
            "half_duplex" => streaming::half_duplex(c).await,
            "empty_stream" => streaming::empty_stream(c).await,
            "cancel_after_begin" => lifecycle::cancel_after_begin(c).await,
            "cancel_after_first_response" => lifecycle::cancel_after_first_response(c).await,
            "timeout_on_sleeping_server" => lifecycle::timeout_on_sleeping_server(c).await,
            "status_code_and_message" => status::status_code_and_message(c).await,
            "special_status_message" => status::special_status_message(c).await,
            "custom_metadata" => status::custom_metadata(c).await,
            "unimplemented_method" => status::unimplemented_method(c).await,
            "unimplemented_service" => status::unimplemented_service(c).await,
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
fn check_status<T>(
    what: &str,
    result: Result<T, Status>,
    code: Code,
    message: Option<&str>,
) -> Outcome {
    match result {
        Ok(_) => Err(format!("{what}: succeeded, expected status {code:?}")),
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

fn large_request() -> SimpleRequest {
    SimpleRequest {
        response_type: PayloadType::Compressable as i32,
        response_size: LARGE_RESPONSE,
        payload: Some(zeros(LARGE_REQUEST)),
        ..Default::default()
    }
}
