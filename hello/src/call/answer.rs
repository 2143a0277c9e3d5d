//! The answer's body as the gRPC specification wants it: its first frame read before the response headers go out
//! (a status before any message is then answered trailers-only, as grpc-go and gRPC C-core answer), and a
//! response message over the size limit ending RESOURCE_EXHAUSTED (tonic's encoder says OUT_OF_RANGE).

use http::HeaderMap;
use http_body::Frame;
use std::pin::Pin;
use std::task::{Context, Poll};
use tonic::body::Body;
use tonic::codegen::Bytes;
use tonic::{Code, Status};

/// The start of the message of tonic's encoder when a response message is over the limit
/// (`tonic/src/codec/encode.rs`); the tests notice if it ever changes.
pub(super) const ENCODE_LIMIT: &str = "Error, encoded message length too large";

/// `grpc-status` of OUT_OF_RANGE, as it is on the wire: the only trailers worth a closer look.
const OUT_OF_RANGE: &[u8] = b"11";

/// Put on a handler's `Response` (`response.extensions_mut().insert(EagerHeaders)`) to have its response headers
/// sent at once, before the first message of its stream is ready.
///
/// Without it, a generated server answers each call's headers together with its first message, so that a status
/// that comes before any message goes out trailers-only, as gRPC's other servers send it; a bidirectional call's
/// headers also go out once its handler has waited a moment for requests that have not come (its client may be
/// waiting for the headers before it sends: see `SETTLE` in this module's parent). A handler needs it when its
/// client wants the headers before a first message that comes late for another reason (grpc-go's `SendHeader`),
/// or to spare such a client those few milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EagerHeaders;

/// A response body whose first frame was already read, with trailers as the specification wants them.
pub struct Answer {
    first: Option<Result<Frame<Bytes>, Status>>,
    rest: Body,
}

impl Answer {
    /// The body of `first` (the frame read from `rest`, if any) and then `rest`.
    pub fn new(first: Option<Result<Frame<Bytes>, Status>>, rest: Body) -> Answer {
        Answer { first, rest }
    }
}

impl http_body::Body for Answer {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(first.map(spec_trailers)));
        }
        Pin::new(&mut self.rest)
            .poll_frame(cx)
            .map(|frame| frame.map(|frame| frame.map(spec_trailers)))
    }

    fn is_end_stream(&self) -> bool {
        self.first.is_none() && self.rest.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.first {
            Some(_) => http_body::SizeHint::default(),
            None => self.rest.size_hint(),
        }
    }
}

/// A trailers frame with tonic's OUT_OF_RANGE for a response over the limit made RESOURCE_EXHAUSTED; any other
/// frame as it is.
pub fn spec_trailers(frame: Frame<Bytes>) -> Frame<Bytes> {
    match frame.into_trailers() {
        Ok(mut trailers) => {
            spec_encode_limit(&mut trailers);
            Frame::trailers(trailers)
        }
        Err(frame) => frame,
    }
}

/// Rewrites, in place, headers or trailers that carry tonic's "encoded message length too large".
pub fn spec_encode_limit(headers: &mut HeaderMap) {
    if headers.get("grpc-status").map(|v| v.as_bytes()) != Some(OUT_OF_RANGE) {
        return;
    }
    let Some(status) = Status::from_header_map(headers) else {
        return;
    };
    if !status.message().starts_with(ENCODE_LIMIT) {
        return;
    }
    let mapped = Status::with_details_and_metadata(
        Code::ResourceExhausted,
        status.message(),
        status.details().to_vec().into(),
        Default::default(),
    );
    // Only the status headers change; the rest (the handler's trailing metadata) stays.
    headers.remove("grpc-status");
    headers.remove("grpc-message");
    headers.remove("grpc-status-details-bin");
    let _ = mapped.add_header(headers);
}

/// A trailers-only answer: the response's headers and the trailers in one HEADERS frame, no body.
pub fn trailers_only(
    response: http::Response<Body>,
    mut trailers: HeaderMap,
) -> http::Response<Body> {
    spec_encode_limit(&mut trailers);
    let (mut parts, _) = response.into_parts();
    parts.headers.extend(trailers);
    http::Response::from_parts(parts, Body::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_only_the_encoders_size_limit() {
        let mut over = HeaderMap::new();
        Status::out_of_range(format!(
            "{ENCODE_LIMIT}: found 5000 bytes, the limit is: 1024 bytes"
        ))
        .add_header(&mut over)
        .unwrap();
        over.insert("x-kept", "yes".parse().unwrap());
        spec_encode_limit(&mut over);
        let mapped = Status::from_header_map(&over).unwrap();
        assert_eq!(mapped.code(), Code::ResourceExhausted);
        assert!(mapped.message().contains("found 5000 bytes"), "{mapped:?}");
        assert_eq!(over["x-kept"], "yes");

        let mut own = HeaderMap::new();
        Status::out_of_range("page 7 of 3")
            .add_header(&mut own)
            .unwrap();
        spec_encode_limit(&mut own);
        assert_eq!(own["grpc-status"], "11");
    }
}
