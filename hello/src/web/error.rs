//! Connect's error model: the code names, the HTTP status of a unary error (the spec's table), the JSON error
//! body `{"code", "message", "details"}`, and the gRPC status read back from tonic's headers or trailers.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use http::{HeaderMap, StatusCode};
use prost::Message;
use serde_json::{Map, Value, json};
use tonic::{Code, Status};

/// Connect's name of a code, `not_found`.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "ok",
        Code::Cancelled => "canceled",
        Code::Unknown => "unknown",
        Code::InvalidArgument => "invalid_argument",
        Code::DeadlineExceeded => "deadline_exceeded",
        Code::NotFound => "not_found",
        Code::AlreadyExists => "already_exists",
        Code::PermissionDenied => "permission_denied",
        Code::ResourceExhausted => "resource_exhausted",
        Code::FailedPrecondition => "failed_precondition",
        Code::Aborted => "aborted",
        Code::OutOfRange => "out_of_range",
        Code::Unimplemented => "unimplemented",
        Code::Internal => "internal",
        Code::Unavailable => "unavailable",
        Code::DataLoss => "data_loss",
        Code::Unauthenticated => "unauthenticated",
    }
}

/// The HTTP status of a unary Connect error with this code, as the protocol's table gives it.
pub fn http_status(code: Code) -> StatusCode {
    let n = match code {
        Code::Ok => 200,
        Code::Cancelled => 499,
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => 400,
        Code::Unauthenticated => 401,
        Code::PermissionDenied => 403,
        Code::NotFound => 404,
        Code::AlreadyExists | Code::Aborted => 409,
        Code::ResourceExhausted => 429,
        Code::Unimplemented => 501,
        Code::Unavailable => 503,
        Code::DeadlineExceeded => 504,
        Code::Unknown | Code::Internal | Code::DataLoss => 500,
    };
    StatusCode::from_u16(n).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The code of an HTTP response that carries no gRPC status, as gRPC's HTTP mapping gives it.
pub fn code_of_http(status: StatusCode) -> Code {
    match status.as_u16() {
        400 => Code::Internal,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::Unimplemented,
        429 | 502..=504 => Code::Unavailable,
        _ => Code::Unknown,
    }
}

/// The status a gRPC response ends with: `grpc-status` in `trailers` (or in the headers of a trailers-only
/// response). `None` when neither has one.
pub fn grpc_status(map: &HeaderMap) -> Option<Status> {
    Status::from_header_map(map)
}

/// `google.rpc.Status`, the form of `grpc-status-details-bin`.
#[derive(Clone, PartialEq, Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
    #[prost(message, repeated, tag = "3")]
    details: Vec<prost_types::Any>,
}

/// `{"code": "...", "message": "...", "details": [{"type": "...", "value": "<base64>"}]}`.
pub fn error_json(status: &Status) -> Value {
    let mut error = Map::new();
    error.insert("code".into(), code_name(status.code()).into());
    if !status.message().is_empty() {
        error.insert("message".into(), status.message().into());
    }
    let details: Vec<Value> = RpcStatus::decode(status.details())
        .map(|s| s.details)
        .unwrap_or_default()
        .into_iter()
        .map(|any| {
            let name = any
                .type_url
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            json!({"type": name, "value": STANDARD_NO_PAD.encode(&any.value)})
        })
        .collect();
    if !details.is_empty() {
        error.insert("details".into(), details.into());
    }
    Value::Object(error)
}

/// Headers that are gRPC's framing, not the application's metadata.
pub fn is_protocol_header(name: &str) -> bool {
    matches!(
        name,
        "grpc-status"
            | "grpc-message"
            | "grpc-status-details-bin"
            | "grpc-encoding"
            | "grpc-accept-encoding"
            | "content-type"
            | "content-length"
            | "te"
            | "trailer"
            | "transfer-encoding"
    )
}

/// Trailers as the `metadata` object of Connect's end-of-stream message: each name to its values.
pub fn metadata_json(trailers: &HeaderMap) -> Value {
    let mut metadata = Map::new();
    for name in trailers.keys() {
        if is_protocol_header(name.as_str()) {
            continue;
        }
        let values: Vec<Value> = trailers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| Value::String(v.to_owned()))
            .collect();
        metadata.insert(name.as_str().to_owned(), values.into());
    }
    Value::Object(metadata)
}
