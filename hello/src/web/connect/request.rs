//! Reading a Connect request: what kind it is from its method and content type, and the gRPC request head it
//! becomes (content type, `te`, `grpc-timeout` from `connect-timeout-ms`, the Connect headers removed).

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Version, request};
use tonic::Status;

/// What the layer does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Connect unary POST: `application/proto` or `application/json`.
    Unary { json: bool },
    /// Connect unary GET: `?encoding=...&message=...`.
    Get,
    /// Connect streaming: `application/connect+proto` or `application/connect+json`.
    Stream { json: bool },
    /// A POST of a content type no protocol here speaks: HTTP 415.
    Unsupported,
    /// gRPC, gRPC-Web or anything else: to the inner service as it is.
    Pass,
}

/// Tells the protocol of a request from its method, content type and query.
pub fn route(parts_method: &Method, headers: &HeaderMap, query: Option<&str>) -> Route {
    // The media type without parameters, compared without case (and without allocating).
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim());
    if parts_method == Method::GET {
        let connect_get = query.is_some_and(|q| {
            q.split('&')
                .any(|kv| kv.starts_with("encoding=") || kv.starts_with("message="))
        });
        return if connect_get { Route::Get } else { Route::Pass };
    }
    if parts_method != Method::POST {
        return Route::Pass;
    }
    let Some(content_type) = content_type else {
        return Route::Unsupported;
    };
    let is = |name: &str| content_type.eq_ignore_ascii_case(name);
    if is("application/proto") {
        Route::Unary { json: false }
    } else if is("application/json") {
        Route::Unary { json: true }
    } else if is("application/connect+proto") {
        Route::Stream { json: false }
    } else if is("application/connect+json") {
        Route::Stream { json: true }
    } else if content_type
        .get(..16)
        .is_some_and(|start| start.eq_ignore_ascii_case("application/grpc"))
    {
        Route::Pass
    } else {
        Route::Unsupported
    }
}

// The header names as constants: looked up by `&str`, each name would be parsed again on every call.
pub const CONNECT_PROTOCOL_VERSION: HeaderName =
    HeaderName::from_static("connect-protocol-version");
pub const CONNECT_TIMEOUT_MS: HeaderName = HeaderName::from_static("connect-timeout-ms");
pub const CONNECT_CONTENT_ENCODING: HeaderName =
    HeaderName::from_static("connect-content-encoding");
pub const CONNECT_ACCEPT_ENCODING: HeaderName = HeaderName::from_static("connect-accept-encoding");
pub const GRPC_ACCEPT_ENCODING: HeaderName = HeaderName::from_static("grpc-accept-encoding");
pub const GRPC_ENCODING: HeaderName = HeaderName::from_static("grpc-encoding");
const GRPC_TIMEOUT: HeaderName = HeaderName::from_static("grpc-timeout");

/// Checks the Connect headers every request may carry, and returns the deadline they ask for.
pub fn check_headers(headers: &HeaderMap) -> Result<Option<u64>, Status> {
    if let Some(v) = headers.get(CONNECT_PROTOCOL_VERSION)
        && v.as_bytes() != b"1"
    {
        return Err(Status::invalid_argument(format!(
            "connect-protocol-version must be \"1\", not {:?}",
            String::from_utf8_lossy(v.as_bytes())
        )));
    }
    match headers.get(CONNECT_TIMEOUT_MS) {
        None => Ok(None),
        Some(v) => timeout_ms(v.as_bytes()).map(Some),
    }
}

/// `connect-timeout-ms`: at most 10 ASCII digits.
fn timeout_ms(value: &[u8]) -> Result<u64, Status> {
    if value.is_empty() || value.len() > 10 || !value.iter().all(u8::is_ascii_digit) {
        return Err(Status::invalid_argument(format!(
            "connect-timeout-ms must be 1 to 10 digits, not {:?}",
            String::from_utf8_lossy(value)
        )));
    }
    std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Status::invalid_argument("connect-timeout-ms is not a number"))
}

/// `grpc-timeout` for a deadline in milliseconds (gRPC allows 8 digits per unit).
fn grpc_timeout(ms: u64) -> HeaderValue {
    let text = if ms < 100_000_000 {
        format!("{ms}m")
    } else {
        format!("{}S", (ms / 1000).min(99_999_999))
    };
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("99999999S"))
}

/// The Connect headers that the gRPC request must not carry (the layer does their work).
const CONNECT_HEADERS: [HeaderName; 8] = [
    CONNECT_PROTOCOL_VERSION,
    CONNECT_TIMEOUT_MS,
    CONNECT_CONTENT_ENCODING,
    CONNECT_ACCEPT_ENCODING,
    header::CONTENT_ENCODING,
    header::ACCEPT_ENCODING,
    header::CONTENT_LENGTH,
    GRPC_ACCEPT_ENCODING,
];

/// Turns a Connect request head into a gRPC one, over HTTP/2 as tonic expects (whatever the client used).
pub fn to_grpc(parts: &mut request::Parts, timeout_ms: Option<u64>) {
    parts.method = Method::POST;
    parts.version = Version::HTTP_2;
    let headers = &mut parts.headers;
    for name in CONNECT_HEADERS {
        headers.remove(name);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc+proto"),
    );
    headers.insert(header::TE, HeaderValue::from_static("trailers"));
    if let Some(ms) = timeout_ms {
        headers.insert(GRPC_TIMEOUT, grpc_timeout(ms));
    }
}
