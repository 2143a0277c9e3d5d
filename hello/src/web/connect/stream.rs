//! Connect streaming calls (`application/connect+proto` / `+json`): request envelopes become gRPC frames as
//! they arrive, and the gRPC response's frames become Connect envelopes, closed by the end-of-stream envelope
//! that carries the status and the trailers as JSON.

use crate::web::codec::Codec;
use crate::web::connect::request;
use crate::web::connect::service::Shared;
use crate::web::envelope::{
    COMPRESSED, Deframer, END_STREAM, accepts_gzip, frame, gunzip, gzip, supported,
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
use std::task::{Context, Poll, ready};
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
    let compress_out = accepts_gzip(parts.headers.get("connect-accept-encoding"));
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
        .get("connect-content-encoding")
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
    let body_in = RequestEnvelopes {
        inner: body,
        deframer: Deframer::default(),
        codec: codec.clone(),
        gzip: gzip_in,
        limit: shared.max_message_size,
        failure: failure.clone(),
        done: false,
    };
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
        .get("grpc-encoding")
        .is_some_and(|v| v == "gzip");
    let body_out = ResponseEnvelopes {
        inner: body,
        deframer: Deframer::default(),
        codec,
        grpc_gzip,
        compress: compress_out,
        limit: shared.max_message_size,
        failure,
        ended,
        done: false,
    };
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
        headers.insert("connect-content-encoding", HeaderValue::from_static("gzip"));
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
    /// The Connect request body as the gRPC service reads it: one uncompressed protobuf frame per envelope.
    struct RequestEnvelopes<B> {
        #[pin]
        inner: B,
        deframer: Deframer,
        codec: Codec,
        gzip: bool,
        limit: usize,
        failure: Failure,
        done: bool,
    }
}

impl<B> http_body::Body for RequestEnvelopes<B>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<tonic::codegen::StdError>,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let mut this = self.project();
        loop {
            if *this.done {
                return Poll::Ready(None);
            }
            let next = this.deframer.next(*this.limit).and_then(|next| {
                next.map(|(flags, message)| {
                    request_message(flags, message, *this.gzip, *this.limit, this.codec)
                })
                .transpose()
            });
            match next {
                Ok(Some(message)) => return Poll::Ready(Some(Ok(Frame::data(frame(0, &message))))),
                Ok(None) => {}
                Err(status) => {
                    return Poll::Ready(Some(Err(fail(this.failure, this.done, status))));
                }
            }
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(f)) => {
                    if let Ok(data) = f.into_data() {
                        this.deframer.push(data);
                    }
                }
                Some(Err(e)) => {
                    let status =
                        Status::cancelled(format!("the request stream broke: {}", e.into()));
                    return Poll::Ready(Some(Err(fail(this.failure, this.done, status))));
                }
                None => {
                    *this.done = true;
                    let left = this.deframer.leftover();
                    if left > 0 {
                        let status = Status::invalid_argument(format!(
                            "the request stream ended inside an envelope ({left} bytes of a truncated envelope)"
                        ));
                        return Poll::Ready(Some(Err(fail(this.failure, this.done, status))));
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }
}

fn fail(failure: &Failure, done: &mut bool, status: Status) -> Status {
    *done = true;
    if let Ok(mut slot) = failure.lock() {
        slot.get_or_insert_with(|| status.clone());
    }
    status
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

pin_project! {
    /// The gRPC response body as Connect envelopes, ended by the end-of-stream envelope.
    #[project = ResponseEnvelopesProj]
    struct ResponseEnvelopes<B> {
        #[pin]
        inner: B,
        deframer: Deframer,
        codec: Codec,
        grpc_gzip: bool,
        compress: bool,
        limit: usize,
        failure: Failure,
        // The status of a trailers-only (or non-gRPC) response head.
        ended: Option<Status>,
        done: bool,
    }
}

impl<B> http_body::Body for ResponseEnvelopes<B>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<tonic::codegen::StdError>,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let mut this = self.project();
        loop {
            if *this.done {
                return Poll::Ready(None);
            }
            let mut out = BytesMut::new();
            loop {
                let next = match this.deframer.next(usize::MAX) {
                    Ok(Some(next)) => next,
                    Ok(None) => break,
                    Err(status) => {
                        return Poll::Ready(Some(Ok(Frame::data(finish(
                            &mut this,
                            Some(status),
                            None,
                        )))));
                    }
                };
                match response_message(
                    next,
                    *this.grpc_gzip,
                    *this.compress,
                    *this.limit,
                    this.codec,
                ) {
                    Ok(envelope) => out.extend_from_slice(&envelope),
                    Err(status) => {
                        out.extend_from_slice(&finish(&mut this, Some(status), None));
                        return Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
                    }
                }
            }
            if !out.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(out.freeze()))));
            }
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(f)) => match f.into_data() {
                    Ok(data) => this.deframer.push(data),
                    Err(f) => {
                        if let Ok(trailers) = f.into_trailers() {
                            return Poll::Ready(Some(Ok(Frame::data(finish(
                                &mut this,
                                None,
                                Some(&trailers),
                            )))));
                        }
                    }
                },
                Some(Err(e)) => {
                    let status = Status::from_error(e.into());
                    return Poll::Ready(Some(Ok(Frame::data(finish(
                        &mut this,
                        Some(status),
                        None,
                    )))));
                }
                None => return Poll::Ready(Some(Ok(Frame::data(finish(&mut this, None, None))))),
            }
        }
    }
}

/// The end-of-stream envelope, once: the request side's failure first, else the error met here, else the
/// gRPC status from the trailers or the response head.
fn finish<B>(
    this: &mut ResponseEnvelopesProj<'_, B>,
    error: Option<Status>,
    trailers: Option<&HeaderMap>,
) -> Bytes {
    *this.done = true;
    let failed = this.failure.lock().ok().and_then(|mut f| f.take());
    let empty = HeaderMap::new();
    let trailers = trailers.unwrap_or(&empty);
    let status = failed
        .or(error)
        .or_else(|| grpc_status(trailers))
        .or_else(|| this.ended.take())
        .unwrap_or_else(|| Status::internal("the gRPC response ended without a grpc-status"));
    end_of_stream(Some(&status), trailers)
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
