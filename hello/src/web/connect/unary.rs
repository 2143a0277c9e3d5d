//! Connect unary calls, POST and GET: the whole request message in the body (or the query), the whole response
//! message in the body, an error as an HTTP status from the spec's table with the JSON error body.

use crate::schema::service_info::MethodKind;
use crate::web::codec::Codec;
use crate::web::connect::request::{self, Route};
use crate::web::connect::service::Shared;
use crate::web::envelope::{self, COMPRESSED, Deframer, accepts_gzip, frame, gunzip, gzip};
use crate::web::error::{code_of_http, error_json, grpc_status, is_protocol_header};
use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::request::Parts;
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full, Limited};
use percent_encoding::percent_decode_str;
use std::sync::Arc;
use tonic::body::Body;
use tonic::{Code, Status};
use tower_service::Service;

/// URL-safe base64 with or without padding, as Connect's GET allows.
const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Answers one Connect unary call (POST or GET) through the gRPC service `inner`.
pub async fn call<S, B>(
    mut inner: S,
    shared: Arc<Shared>,
    req: Request<B>,
    route: Route,
) -> Result<Response<Body>, S::Error>
where
    S: Service<Request<Body>, Response = Response<Body>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
{
    let (mut parts, body) = req.into_parts();
    let accept_gzip = accepts_gzip(parts.headers.get(header::ACCEPT_ENCODING));
    let (codec, message) = match read_request(&shared, &mut parts, body, route).await {
        Ok(read) => read,
        Err(answer) => return Ok(answer),
    };
    let grpc_request = Request::from_parts(parts, Body::new(Full::new(frame(0, &message))));
    let response = inner.call(grpc_request).await?;
    Ok(answer(response, &codec, accept_gzip, shared.max_message_size).await)
}

/// The request's codec and its message as protobuf bytes; `parts` become the gRPC request's head. An early
/// answer (an error, or 405 for a GET the method does not allow) when the request cannot be called.
async fn read_request<B>(
    shared: &Shared,
    parts: &mut Parts,
    body: B,
    route: Route,
) -> Result<(Codec, Bytes), Response<Body>>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
{
    let error = |status: Status| error_response(&status, &HeaderMap::new());
    let timeout = request::check_headers(&parts.headers).map_err(error)?;
    let path = parts.uri.path().to_owned();
    let limit = shared.max_message_size;
    if let Some(method) = shared.methods.get(&path)
        && method.kind != MethodKind::Unary
    {
        return Err(error(Status::unimplemented(format!(
            "{path} is a {:?} method: call it with application/connect+proto or application/connect+json",
            method.kind
        ))));
    }
    let (json, raw, encoding) = match route {
        Route::Get => {
            if !shared.methods.get(&path).is_some_and(|m| m.no_side_effects) {
                return Err(method_not_allowed(&path));
            }
            let query = GetQuery::parse(parts.uri.query().unwrap_or("")).map_err(error)?;
            parts.uri = Uri::builder()
                .path_and_query(path.as_str())
                .build()
                .unwrap_or_default();
            (query.json, query.message, query.compression)
        }
        Route::Unary { json } => {
            let encoding = parts
                .headers
                .get(header::CONTENT_ENCODING)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let raw = read_body(body, limit).await.map_err(error)?;
            (json, raw, encoding)
        }
        _ => return Err(error(Status::internal("not a unary Connect request"))),
    };
    let codec = if json {
        Codec::Json(shared.methods.json(&path).map_err(error)?.clone())
    } else {
        Codec::Proto
    };
    let message = match encoding.as_deref() {
        None | Some("identity") => raw,
        Some("gzip") => gunzip(&raw[..], limit).map_err(error)?,
        Some(other) => {
            return Err(error(Status::unimplemented(format!(
                "content-encoding {other:?} is not supported: use gzip or identity"
            ))));
        }
    };
    if message.len() > limit {
        return Err(error(envelope::too_large(message.len(), limit)));
    }
    let message = codec.request_to_proto(message).map_err(error)?;
    request::to_grpc(parts, timeout);
    Ok((codec, message))
}

/// The body, refused past `limit` bytes (compressed bytes count: a client may not send more than that).
async fn read_body<B>(body: B, limit: usize) -> Result<Bytes, Status>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<tonic::codegen::StdError>,
{
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(Status::resource_exhausted(
            format!("request body is larger than the limit of {limit} bytes"),
        )),
        Err(e) => Err(Status::cancelled(format!(
            "cannot read the request body: {e}"
        ))),
    }
}

/// The query of a Connect GET: `encoding`, `message`, `base64`, `compression` (and `connect=v1`).
struct GetQuery {
    json: bool,
    message: Bytes,
    compression: Option<String>,
}

impl GetQuery {
    fn parse(query: &str) -> Result<GetQuery, Status> {
        let (mut encoding, mut message, mut base64, mut compression) = (None, None, false, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // In a query, `+` is a space.
            let value = value.replace('+', " ");
            let value: Vec<u8> = percent_decode_str(&value).collect();
            match key {
                "encoding" => encoding = Some(String::from_utf8_lossy(&value).into_owned()),
                "message" => message = Some(value),
                "base64" => base64 = value == b"1",
                "compression" => compression = Some(String::from_utf8_lossy(&value).into_owned()),
                "connect" if value != b"v1" => {
                    return Err(Status::invalid_argument("connect= must be v1"));
                }
                _ => {}
            }
        }
        let json = match encoding.as_deref() {
            Some("json") => true,
            Some("proto") => false,
            Some(other) => {
                return Err(Status::invalid_argument(format!(
                    "encoding={other:?}: a GET's encoding is proto or json"
                )));
            }
            None => return Err(Status::invalid_argument("a Connect GET needs encoding=")),
        };
        let message = message.unwrap_or_default();
        let message = if base64 {
            URL_SAFE_ANY_PADDING
                .decode(&message)
                .map_err(|e| Status::invalid_argument(format!("message= is not base64: {e}")))?
        } else {
            message
        };
        Ok(GetQuery {
            json,
            message: message.into(),
            compression: compression.filter(|c| c != "identity"),
        })
    }
}

/// The Connect answer to the gRPC service's response.
async fn answer(
    response: Response<Body>,
    codec: &Codec,
    accept_gzip: bool,
    limit: usize,
) -> Response<Body> {
    let (parts, body) = response.into_parts();
    let collected = match body.collect().await {
        Ok(c) => c,
        Err(e) => {
            let status = Status::from_error(e.into());
            return error_response(&status, &parts.headers);
        }
    };
    let trailers = collected.trailers().cloned().unwrap_or_default();
    let data = collected.to_bytes();
    let status = grpc_status(&trailers)
        .or_else(|| grpc_status(&parts.headers))
        .unwrap_or_else(|| {
            if parts.status == StatusCode::OK {
                Status::internal("the gRPC response ended without a grpc-status")
            } else {
                Status::new(code_of_http(parts.status), format!("HTTP {}", parts.status))
            }
        });
    let mut metadata = leading_metadata(&parts.headers);
    add_trailers(&mut metadata, &trailers);
    if status.code() != Code::Ok {
        return error_response(&status, &metadata);
    }
    let grpc_gzip = parts
        .headers
        .get(request::GRPC_ENCODING)
        .is_some_and(|v| v == "gzip");
    let message =
        match one_message(data, grpc_gzip, limit).and_then(|m| codec.response_from_proto(m)) {
            Ok(m) => m,
            Err(status) => return error_response(&status, &metadata),
        };
    let (body, gzipped) = if accept_gzip && message.len() > MIN_COMPRESS {
        (gzip(&message), true)
    } else {
        (message, false)
    };
    let mut response = Response::new(Body::new(Full::new(body)));
    *response.headers_mut() = metadata;
    let content_type = match codec {
        Codec::Proto => "application/proto",
        Codec::Json(_) => "application/json",
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if gzipped {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

/// Below this many bytes a response is sent as it is: gzip would make it larger.
const MIN_COMPRESS: usize = 64;

/// The single message of a unary gRPC response body.
fn one_message(data: Bytes, gzipped: bool, limit: usize) -> Result<Bytes, Status> {
    let mut deframer = Deframer::default();
    deframer.push(data);
    let (flags, message) = deframer
        .next(usize::MAX)?
        .ok_or_else(|| Status::unimplemented("the gRPC service answered no message"))?;
    if deframer.leftover() > 0 {
        return Err(Status::unimplemented(
            "the gRPC service answered more than one message to a unary call",
        ));
    }
    if flags & COMPRESSED != 0 {
        if !gzipped {
            return Err(Status::internal(
                "compressed response without grpc-encoding",
            ));
        }
        return gunzip(&message, limit);
    }
    Ok(message)
}

/// The application's headers of a gRPC response, without gRPC's own.
fn leading_metadata(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in headers {
        if !is_protocol_header(name.as_str()) {
            out.append(name.clone(), value.clone());
        }
    }
    out
}

/// Trailers become `trailer-`-prefixed headers of a unary Connect response.
fn add_trailers(out: &mut HeaderMap, trailers: &HeaderMap) {
    for (name, value) in trailers {
        if is_protocol_header(name.as_str()) {
            continue;
        }
        if let Ok(prefixed) = HeaderName::from_bytes(format!("trailer-{name}").as_bytes()) {
            out.append(prefixed, value.clone());
        }
    }
}

/// A unary Connect error: the HTTP status of the code and the JSON error body.
pub fn error_response(status: &Status, metadata: &HeaderMap) -> Response<Body> {
    let body = serde_json::to_vec(&error_json(status)).unwrap_or_default();
    let mut response = Response::new(Body::new(Full::new(Bytes::from(body))));
    *response.status_mut() = crate::web::error::http_status(status.code());
    *response.headers_mut() = metadata.clone();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// HTTP 405: GET is only for methods marked free of side effects.
fn method_not_allowed(path: &str) -> Response<Body> {
    let status = Status::unimplemented(format!(
        "{path} is not marked free of side effects (idempotency_level = NO_SIDE_EFFECTS): call it with POST"
    ));
    let mut response = error_response(&status, &HeaderMap::new());
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}
