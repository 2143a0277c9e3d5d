//! Connect streaming calls (`application/connect+proto` / `+json`): request envelopes become gRPC frames as
//! they arrive, and the gRPC response's frames become Connect envelopes, closed by the end-of-stream envelope
//! that carries the status and the trailers as JSON.

use crate::web::codec::Codec;
use crate::web::connect::request;
use crate::web::connect::service::Shared;
use crate::web::envelope::{
    COMPRESSED, Deframer, END_STREAM, Pulled, accepts_gzip, frame, gunzip, gzip, supported,
};
use crate::web::error::{code_of_http, error_json, grpc_status, is_protocol_header, metadata_json};
use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderMap, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body::Frame;
use pin_project_lite::pin_project;
use serde_json::{Map, Value};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tonic::body::Body;
use tonic::{Code, Status};
use tower_service::Service;

/// The error the request side hit (a bad envelope, malformed JSON), which the response's end-of-stream
/// reports in place of whatever the handler made of its broken request stream.
type Failure = Arc<Mutex<Option<Status>>>;

/// Answers one Connect streaming call through the gRPC service `inner`.
pub async fn call<S, B>(
    mut inner: S,
    shared: Arc<Shared>,
    req: Request<B>,
    json: bool,
) -> Result<Response<Body>, S::Error>
where
    S: Service<Request<Body>, Response = Response<Body>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
{
    let (mut parts, body) = req.into_parts();
    let compress_out = accepts_gzip(parts.headers.get(request::CONNECT_ACCEPT_ENCODING));
    let path = parts.uri.path().to_owned();
    let codec = if json {
        match shared.methods.json(&path) {
            Ok(types) => Codec::Json(types.clone()),
            Err(status) => return Ok(only_end(&status, json)),
        }
    } else {
        Codec::Proto
    };
    let timeout = match request::check_headers(&parts.headers) {
        Ok(t) => t,
        Err(status) => return Ok(only_end(&status, json)),
    };
    let gzip_in = match parts
        .headers
        .get(request::CONNECT_CONTENT_ENCODING)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    {
        None => false,
        Some(e) if supported(&e) => e == "gzip",
        Some(e) => {
            let status = Status::unimplemented(format!(
                "connect-content-encoding {e:?} is not supported: use gzip or identity"
            ));
            return Ok(only_end(&status, json));
        }
    };
    request::to_grpc(&mut parts, timeout);
    let failure = Failure::default();
    let body_in = Envelopes::new(
        body,
        RequestSide {
            codec: codec.clone(),
            gzip: gzip_in,
            limit: shared.max_message_size,
            failure: failure.clone(),
        },
    );
    let response = inner
        .call(Request::from_parts(parts, Body::new(body_in)))
        .await?;
    let (parts, body) = response.into_parts();
    let mut head = HeaderMap::new();
    for (name, value) in &parts.headers {
        if !is_protocol_header(name.as_str()) {
            head.append(name.clone(), value.clone());
        }
    }
    let ended = grpc_status(&parts.headers).or_else(|| {
        (parts.status != StatusCode::OK)
            .then(|| Status::new(code_of_http(parts.status), format!("HTTP {}", parts.status)))
    });
    let grpc_gzip = parts
        .headers
        .get(request::GRPC_ENCODING)
        .is_some_and(|v| v == "gzip");
    let body_out = Envelopes::new(
        body,
        ResponseSide {
            codec,
            grpc_gzip,
            compress: compress_out,
            limit: shared.max_message_size,
            failure,
            ended,
        },
    );
    let mut response = Response::new(Body::new(body_out));
    *response.headers_mut() = head;
    set_stream_headers(response.headers_mut(), json, compress_out);
    Ok(response)
}

fn set_stream_headers(headers: &mut HeaderMap, json: bool, gzip: bool) {
    let content_type = if json {
        "application/connect+json"
    } else {
        "application/connect+proto"
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if gzip {
        headers.insert(
            request::CONNECT_CONTENT_ENCODING,
            HeaderValue::from_static("gzip"),
        );
    }
}

/// A streaming response of nothing but the end-of-stream envelope with `status`: how a streaming call that
/// never reached the service fails (HTTP 200, as the protocol has it).
fn only_end(status: &Status, json: bool) -> Response<Body> {
    let end = end_of_stream(Some(status), &HeaderMap::new());
    let mut response = Response::new(Body::new(http_body_util::Full::new(end)));
    set_stream_headers(response.headers_mut(), json, false);
    response
}

/// The end-of-stream envelope: `{"error": {...}, "metadata": {...}}`, `error` only on failure.
fn end_of_stream(status: Option<&Status>, trailers: &HeaderMap) -> Bytes {
    let mut end = Map::new();
    if let Some(status) = status.filter(|s| s.code() != Code::Ok) {
        end.insert("error".into(), error_json(status));
    }
    let metadata = metadata_json(trailers);
    if metadata.as_object().is_some_and(|m| !m.is_empty()) {
        end.insert("metadata".into(), metadata);
    }
    frame(
        END_STREAM,
        &serde_json::to_vec(&Value::Object(end)).unwrap_or_default(),
    )
}

pin_project! {
    /// A body of envelopes translated one by one, in either direction of the call (`D`).
    struct Envelopes<B, D> {
        #[pin]
        inner: B,
        deframer: Deframer,
        direction: D,
        done: bool,
    }
}

/// What one direction of a Connect stream makes of the body it translates.
trait Direction {
    /// The largest envelope read.
    fn limit(&self) -> usize;
    /// One envelope, translated.
    fn message(&mut self, flags: u8, message: Bytes) -> Result<Bytes, Status>;
    /// The last bytes of the translated body (`None`: nothing more) or its error, when the inner body ends as
    /// `ending` says.
    fn end(&mut self, ending: Ending) -> Result<Option<Bytes>, Status>;
}

/// How the body being translated ended.
enum Ending {
    /// Cleanly, with these trailers (or none); `leftover` bytes made no whole envelope.
    Trailers(Option<HeaderMap>, usize),
    /// An envelope could not be read or translated.
    Failed(Status),
    /// The body itself failed.
    Broken(tonic::codegen::StdError),
}

impl<B, D> Envelopes<B, D> {
    fn new(inner: B, direction: D) -> Self {
        Envelopes {
            inner,
            deframer: Deframer::default(),
            direction,
            done: false,
        }
    }
}

impl<B, D> http_body::Body for Envelopes<B, D>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<tonic::codegen::StdError>,
    D: Direction,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let mut this = self.project();
        // The envelopes that are ready go out together, up to FLUSH_AT bytes.
        let mut out = BytesMut::new();
        let send = |out: BytesMut| Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
        loop {
            if *this.done {
                return Poll::Ready(None);
            }
            let limit = this.direction.limit();
            let pulled = match this.deframer.poll_envelope(this.inner.as_mut(), limit, cx) {
                Poll::Ready(pulled) => pulled,
                Poll::Pending if out.is_empty() => return Poll::Pending,
                Poll::Pending => return send(out),
            };
            let ending = match pulled {
                Pulled::Envelope(flags, message) => match this.direction.message(flags, message) {
                    Ok(translated) => {
                        out.extend_from_slice(&translated);
                        if out.len() >= FLUSH_AT {
                            return send(out);
                        }
                        continue;
                    }
                    Err(status) => Ending::Failed(status),
                },
                Pulled::Trailers(trailers) => Ending::Trailers(Some(trailers), 0),
                Pulled::End { leftover } => Ending::Trailers(None, leftover),
                Pulled::Refused(status) => Ending::Failed(status),
                Pulled::Broken(e) => Ending::Broken(e.into()),
            };
            *this.done = true;
            match this.direction.end(ending) {
                Ok(last) => {
                    if let Some(last) = last {
                        out.extend_from_slice(&last);
                    }
                    return if out.is_empty() {
                        Poll::Ready(None)
                    } else {
                        send(out)
                    };
                }
                Err(status) => return Poll::Ready(Some(Err(status))),
            }
        }
    }
}

/// How many bytes of envelopes are gathered into one frame before it is sent.
const FLUSH_AT: usize = 16 << 10;

/// The Connect request body as the gRPC service reads it: one uncompressed protobuf frame per envelope.
struct RequestSide {
    codec: Codec,
    gzip: bool,
    limit: usize,
    failure: Failure,
}

impl Direction for RequestSide {
    fn limit(&self) -> usize {
        self.limit
    }

    fn message(&mut self, flags: u8, message: Bytes) -> Result<Bytes, Status> {
        let message = request_message(flags, message, self.gzip, self.limit, &self.codec)?;
        Ok(frame(0, &message))
    }

    fn end(&mut self, ending: Ending) -> Result<Option<Bytes>, Status> {
        let status = match ending {
            // A request has no trailers worth passing on.
            Ending::Trailers(_, 0) => return Ok(None),
            Ending::Trailers(_, leftover) => Status::invalid_argument(format!(
                "the request stream ended inside an envelope ({leftover} bytes of a truncated envelope)"
            )),
            Ending::Failed(status) => status,
            Ending::Broken(e) => Status::cancelled(format!("the request stream broke: {e}")),
        };
        // The response's end-of-stream reports this, not what the handler makes of its broken stream.
        if let Ok(mut slot) = self.failure.lock() {
            slot.get_or_insert_with(|| status.clone());
        }
        Err(status)
    }
}

/// One request envelope's message as protobuf bytes.
fn request_message(
    flags: u8,
    message: Bytes,
    gzip: bool,
    limit: usize,
    codec: &Codec,
) -> Result<Bytes, Status> {
    if flags & END_STREAM != 0 {
        return Err(Status::invalid_argument(
            "a client sends no end-of-stream envelope",
        ));
    }
    let message = if flags & COMPRESSED != 0 {
        if !gzip {
            return Err(Status::invalid_argument(
                "a compressed envelope, but no connect-content-encoding",
            ));
        }
        gunzip(&message, limit)?
    } else {
        message
    };
    codec.request_to_proto(message)
}

/// The gRPC response body as Connect envelopes, ended by the end-of-stream envelope.
struct ResponseSide {
    codec: Codec,
    grpc_gzip: bool,
    compress: bool,
    limit: usize,
    failure: Failure,
    /// The status of a trailers-only (or non-gRPC) response head.
    ended: Option<Status>,
}

impl Direction for ResponseSide {
    fn limit(&self) -> usize {
        // The service's own messages: their size was checked as they were encoded.
        usize::MAX
    }

    fn message(&mut self, flags: u8, message: Bytes) -> Result<Bytes, Status> {
        response_message(
            (flags, message),
            self.grpc_gzip,
            self.compress,
            self.limit,
            &self.codec,
        )
    }

    /// The end-of-stream envelope: the request side's failure first, else the error met here, else the gRPC
    /// status from the trailers or the response head.
    fn end(&mut self, ending: Ending) -> Result<Option<Bytes>, Status> {
        let (error, trailers) = match ending {
            Ending::Trailers(trailers, _) => (None, trailers.unwrap_or_default()),
            Ending::Failed(status) => (Some(status), HeaderMap::new()),
            Ending::Broken(e) => (Some(Status::from_error(e)), HeaderMap::new()),
        };
        let failed = self.failure.lock().ok().and_then(|mut f| f.take());
        let status = failed
            .or(error)
            .or_else(|| grpc_status(&trailers))
            .or_else(|| self.ended.take())
            .unwrap_or_else(|| Status::internal("the gRPC response ended without a grpc-status"));
        Ok(Some(end_of_stream(Some(&status), &trailers)))
    }
}

/// One gRPC response frame as a Connect envelope.
fn response_message(
    (flags, message): (u8, Bytes),
    grpc_gzip: bool,
    compress: bool,
    limit: usize,
    codec: &Codec,
) -> Result<Bytes, Status> {
    let message = if flags & COMPRESSED != 0 {
        if !grpc_gzip {
            return Err(Status::internal(
                "compressed response without grpc-encoding",
            ));
        }
        gunzip(&message, limit)?
    } else {
        message
    };
    let message = codec.response_from_proto(message)?;
    Ok(if compress {
        frame(COMPRESSED, &gzip(&message))
    } else {
        frame(0, &message)
    })
}
