//! What the standard interop server does with each request, apart from any generated code: our server
//! (`service.rs`) and the tonic-build peer of the tests both call these, so both behave the same.
//!
//! The features, as grpc's doc/interop-test-descriptions.md names them: payloads of the sizes asked for (of
//! zeros, type COMPRESSABLE, INVALID_ARGUMENT for another type or a negative size), Echo Status (a non-zero
//! `response_status` ends the call with that code and message), CompressedRequest (`expect_compressed` checked
//! against each message's flag), CompressedResponse (`response_compressed`, `ResponseParameters.compressed`),
//! `interval_us` waits, and the streaming semantics of each method.

use crate::messages::{
    EchoStatus, Payload, PayloadType, SimpleRequest, SimpleResponse, StreamingInputCallRequest,
    StreamingInputCallResponse, StreamingOutputCallRequest, StreamingOutputCallResponse,
};
use crate::wire::CallWire;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::metadata::MetadataValue;
use tonic::{Code, Response, Status};

/// The responses of a streaming method, produced by a task of their own.
pub type Responses = ReceiverStream<Result<StreamingOutputCallResponse, Status>>;

/// `size` zero bytes of type COMPRESSABLE.
pub fn payload(size: i32) -> Result<Payload, Status> {
    let size = usize::try_from(size)
        .map_err(|_| Status::invalid_argument(format!("response size {size} is negative")))?;
    Ok(Payload {
        r#type: PayloadType::Compressable as i32,
        body: vec![0; size],
    })
}

fn check_payload_type(response_type: i32) -> Result<(), Status> {
    match PayloadType::try_from(response_type) {
        Ok(PayloadType::Compressable) => Ok(()),
        Err(_) => Err(Status::invalid_argument(format!(
            "unsupported response type {response_type}"
        ))),
    }
}

/// The status a request asks the call to end with (a zero code asks for nothing).
fn echo_status(status: Option<&EchoStatus>) -> Result<(), Status> {
    match status {
        Some(s) if s.code != 0 => Err(Status::new(Code::from_i32(s.code), s.message.clone())),
        _ => Ok(()),
    }
}

/// CompressedRequest: when a message says whether it should have come compressed, it must have.
fn check_compression(expected: Option<bool>, wire: &CallWire, index: usize) -> Result<(), Status> {
    let Some(expected) = expected else {
        return Ok(());
    };
    match wire.was_compressed(index) {
        Some(actual) if actual != expected => Err(Status::invalid_argument(format!(
            "request message {index}: expected it {}, but it came {}",
            if expected {
                "compressed"
            } else {
                "uncompressed"
            },
            if actual { "compressed" } else { "uncompressed" },
        ))),
        _ => Ok(()),
    }
}

/// UnaryCall.
pub fn unary(request: SimpleRequest, wire: &CallWire) -> Result<Response<SimpleResponse>, Status> {
    check_compression(request.expect_compressed.map(|b| b.value), wire, 0)?;
    echo_status(request.response_status.as_ref())?;
    check_payload_type(request.response_type)?;
    let payload = payload(request.response_size)?;
    let mut response = Response::new(SimpleResponse {
        payload: Some(payload),
        ..Default::default()
    });
    if !request.response_compressed.is_some_and(|b| b.value) {
        response.disable_compression();
    }
    Ok(response)
}

/// CacheableUnaryCall: a payload that differs on every call (the time in nanoseconds), marked cacheable.
pub fn cacheable_unary(_request: SimpleRequest) -> Result<Response<SimpleResponse>, Status> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let payload = Payload {
        r#type: PayloadType::Compressable as i32,
        body: nanos.to_string().into_bytes(),
    };
    let mut response = Response::new(SimpleResponse {
        payload: Some(payload),
        ..Default::default()
    });
    response.metadata_mut().insert(
        "cache-control",
        MetadataValue::from_static("max-age=60, public"),
    );
    response.disable_compression();
    Ok(response)
}

/// StreamingInputCall: the total size of the payloads received, once the client half-closes.
pub async fn streaming_input<S>(
    mut requests: S,
    wire: &CallWire,
) -> Result<Response<StreamingInputCallResponse>, Status>
where
    S: Stream<Item = Result<StreamingInputCallRequest, Status>> + Unpin,
{
    let mut total: i32 = 0;
    let mut index = 0;
    while let Some(request) = requests.next().await {
        let request = request?;
        check_compression(request.expect_compressed.map(|b| b.value), wire, index)?;
        let size = request.payload.map_or(0, |p| p.body.len());
        total = i32::try_from(size)
            .ok()
            .and_then(|s| total.checked_add(s))
            .ok_or_else(|| {
                Status::invalid_argument("the aggregated payload size does not fit an int32")
            })?;
        index += 1;
    }
    let mut response = Response::new(StreamingInputCallResponse {
        aggregated_payload_size: total,
    });
    response.disable_compression();
    Ok(response)
}

/// StreamingOutputCall: one response per `ResponseParameters`. A status to echo fails the call at once.
pub fn streaming_output(
    request: StreamingOutputCallRequest,
    wire: CallWire,
) -> Result<Response<Responses>, Status> {
    echo_status(request.response_status.as_ref())?;
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let _ = respond(&request, &wire, &tx).await;
    });
    Ok(Response::new(ReceiverStream::new(rx)))
}

/// FullDuplexCall: the responses to each request as soon as it comes; OK after the client half-closes.
pub fn full_duplex<S>(requests: S, wire: CallWire) -> Response<Responses>
where
    S: Stream<Item = Result<StreamingOutputCallRequest, Status>> + Send + Unpin + 'static,
{
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let mut requests = requests;
        while let Some(request) = requests.next().await {
            let request = match request {
                Ok(request) => request,
                Err(status) => return fail(&tx, status).await,
            };
            if respond(&request, &wire, &tx).await.is_err() {
                return;
            }
        }
    });
    Response::new(ReceiverStream::new(rx))
}

/// HalfDuplexCall: every request first, until the client half-closes; then the responses to each, in order.
pub fn half_duplex<S>(requests: S, wire: CallWire) -> Response<Responses>
where
    S: Stream<Item = Result<StreamingOutputCallRequest, Status>> + Send + Unpin + 'static,
{
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        let requests: Result<Vec<_>, Status> = requests.collect().await;
        let requests = match requests {
            Ok(requests) => requests,
            Err(status) => return fail(&tx, status).await,
        };
        for request in &requests {
            if respond(request, &wire, &tx).await.is_err() {
                return;
            }
        }
    });
    Response::new(ReceiverStream::new(rx))
}

/// The call ended (by this status, or because the client went away): stop serving it.
struct Ended;

async fn fail(tx: &mpsc::Sender<Result<StreamingOutputCallResponse, Status>>, status: Status) {
    let _ = tx.send(Err(status)).await;
}

/// Sends the responses one streaming request asks for, or ends the call with the status it asks for.
async fn respond(
    request: &StreamingOutputCallRequest,
    wire: &CallWire,
    tx: &mpsc::Sender<Result<StreamingOutputCallResponse, Status>>,
) -> Result<(), Ended> {
    let checked = echo_status(request.response_status.as_ref())
        .and_then(|()| check_payload_type(request.response_type));
    if let Err(status) = checked {
        fail(tx, status).await;
        return Err(Ended);
    }
    for parameters in &request.response_parameters {
        if let Ok(micros) = u64::try_from(parameters.interval_us)
            && micros > 0
        {
            tokio::time::sleep(Duration::from_micros(micros)).await;
        }
        let payload = match payload(parameters.size) {
            Ok(payload) => payload,
            Err(status) => {
                fail(tx, status).await;
                return Err(Ended);
            }
        };
        // Wished just before the message enters the channel, so wishes and messages keep one order.
        wire.send_next(parameters.compressed.is_some_and(|b| b.value));
        let response = StreamingOutputCallResponse {
            payload: Some(payload),
        };
        tx.send(Ok(response)).await.map_err(|_| Ended)?;
    }
    Ok(())
}
