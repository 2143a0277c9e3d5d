//! The unary path: the request body read whole, the message decoded from it in place, the handler's answer
//! encoded once into a buffer of its exact size and sent as one DATA frame and the trailers.
//!
//! tonic answers a unary call through the machinery of a stream (a decoder and an encoder, each with an 8 KiB
//! buffer, and a response stream of one item); this path has none of it. Calls that need compression, either way,
//! go through tonic's `Grpc::unary` as before: the two paths give the same answers (the tests of every size
//! limit and malformed request run on both).

use super::answer::ENCODE_LIMIT;
use super::{DECODE_LIMIT, Deadline, spec_status_of, within};
use bytes::{Buf, BufMut, Bytes, BytesMut};
use http::{HeaderMap, HeaderValue};
use http_body::Frame;
use http_body_util::BodyExt;
use prost::Message;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use tonic::body::Body;
use tonic::codec::EnabledCompressionEncodings;
use tonic::metadata::MetadataMap;
use tonic::{Code, Status};

/// The gRPC message prefix: a compressed flag and a 4-byte length.
pub(super) const PREFIX: usize = 5;
/// tonic's default limit of a request message (`tonic/src/codec/mod.rs`).
const DEFAULT_MAX_DECODING: usize = 4 << 20;

const GRPC_CONTENT_TYPE: HeaderValue = HeaderValue::from_static("application/grpc");
/// Headers a handler's metadata may not set on the response (tonic's `GRPC_RESERVED_HEADERS`).
const RESERVED: [http::HeaderName; 5] = [
    http::HeaderName::from_static("te"),
    http::header::CONTENT_TYPE,
    http::HeaderName::from_static("grpc-message"),
    http::HeaderName::from_static("grpc-message-type"),
    http::HeaderName::from_static("grpc-status"),
];

/// A generated server's compression and size settings, as it hands them to tonic's `Grpc`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallConfig {
    /// Encodings accepted on requests.
    pub accept: EnabledCompressionEncodings,
    /// Encodings the server compresses responses with, when the client accepts them.
    pub send: EnabledCompressionEncodings,
    /// Largest request message (tonic's default: 4 MiB).
    pub max_decoding: Option<usize>,
    /// Largest response message (tonic's default: none).
    pub max_encoding: Option<usize>,
}

impl CallConfig {
    /// tonic's `Grpc` with these settings, for the calls this path leaves to it.
    pub fn grpc<C: tonic::codec::Codec>(&self, codec: C) -> tonic::server::Grpc<C> {
        tonic::server::Grpc::new(codec)
            .apply_compression_config(self.accept, self.send)
            .apply_max_message_size_config(self.max_decoding, self.max_encoding)
    }

    /// The largest response message: the configured limit, within the 4-byte length prefix.
    pub(super) fn encoding_limit(&self) -> usize {
        self.max_encoding
            .unwrap_or(usize::MAX)
            .min(u32::MAX as usize)
    }

    /// The call's deadline, and whether it compresses something (its request is compressed, or its response
    /// may be): one pass over the headers rather than a lookup (a hash) for each.
    pub(super) fn look(&self, headers: &HeaderMap) -> (Option<Deadline>, bool) {
        let (mut deadline, mut compresses) = (None, false);
        for (name, value) in headers {
            match name.as_str() {
                "grpc-timeout" => deadline = Deadline::from_value(value),
                "grpc-encoding" => compresses |= value.as_bytes() != b"identity",
                "grpc-accept-encoding" => compresses |= !self.send.is_empty(),
                _ => {}
            }
        }
        (deadline, compresses)
    }
}

/// Serves one unary call: `handler` is the trait method, called with the decoded request.
pub async fn unary<B, M, R, H, F>(
    config: CallConfig,
    request: http::Request<B>,
    handler: H,
) -> http::Response<Body>
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send,
    M: Message + Default + Send + 'static,
    R: Message + Send + 'static,
    H: FnOnce(tonic::Request<M>) -> F,
    F: Future<Output = Result<tonic::Response<R>, Status>>,
{
    let (deadline, compresses) = config.look(request.headers());
    if compresses {
        let mut grpc = config.grpc(tonic_prost::ProstCodec::<R, M>::default());
        return within(deadline, grpc.unary(Once::new(handler), request)).await;
    }
    let call = async {
        let answer = match read(request, config.max_decoding).await {
            Ok(request) => handler(request).await,
            Err(status) => Err(status),
        };
        respond(answer, config.encoding_limit())
    };
    let Some(deadline) = deadline else {
        return call.await;
    };
    let call = pin!(call);
    let sleep = pin!(tokio::time::sleep_until(deadline.at));
    match futures_util::future::select(call, sleep).await {
        futures_util::future::Either::Left((response, _)) => response,
        futures_util::future::Either::Right(_) => deadline.exceeded().into_http(),
    }
}

/// The request: its first message decoded, its headers (and trailers, if any) as metadata.
pub(super) async fn read<B, M>(
    request: http::Request<B>,
    max_decoding: Option<usize>,
) -> Result<tonic::Request<M>, Status>
where
    B: http_body::Body,
    B::Error: Into<tonic::codegen::StdError>,
    M: Message + Default,
{
    let limit = max_decoding.unwrap_or(DEFAULT_MAX_DECODING);
    let (parts, body) = request.into_parts();
    let mut body = pin!(body);
    let mut message = Collect::default();
    let mut trailers = None;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            // tonic's decoder takes a cancelled request body for its end.
            Err(error) => match Status::from_error(error.into()) {
                status if status.code() == Code::Cancelled => break,
                status => return Err(status),
            },
        };
        match frame.into_data() {
            Ok(mut data) => message.push(data.copy_to_bytes(data.remaining()), limit)?,
            Err(frame) => trailers = frame.into_trailers().ok(),
        }
    }
    let bytes = message.finish()?;
    let message = M::decode(bytes).map_err(|error| Status::internal(error.to_string()))?;
    let mut headers = parts.headers;
    if let Some(trailers) = trailers {
        headers.extend(trailers);
    }
    Ok(tonic::Request::from_parts(
        MetadataMap::from_headers(headers),
        parts.extensions,
        message,
    ))
}

/// The request body's bytes, gathered until the first message is whole; anything after it is only checked
/// for framing (and the limit) and dropped, as tonic reads and drops what follows a unary request's message.
#[derive(Default)]
struct Collect {
    /// The body so far, while it is one DATA frame (the usual case: no copy).
    whole: Bytes,
    /// The body so far, once a second frame came before the first message was whole.
    joined: Option<BytesMut>,
    /// After the first message: bytes still to skip of a later message, and a partial prefix.
    skip: usize,
    prefix: Vec<u8>,
    /// The first message's length, once it is whole.
    first_len: Option<usize>,
}

impl Collect {
    fn push(&mut self, data: Bytes, limit: usize) -> Result<(), Status> {
        if self.first_len.is_some() {
            return self.skip_later(&data, limit);
        }
        match &mut self.joined {
            Some(joined) => joined.extend_from_slice(&data),
            None if self.whole.is_empty() => self.whole = data,
            None => {
                let mut joined = BytesMut::with_capacity(self.whole.len() + data.len());
                joined.extend_from_slice(&self.whole);
                joined.extend_from_slice(&data);
                self.joined = Some(joined);
            }
        }
        let gathered = self.joined.as_deref().unwrap_or(&self.whole);
        let Some(len) = prefix_len(gathered, limit)? else {
            return Ok(());
        };
        if gathered.len() >= PREFIX + len {
            // The first message is whole: what follows it is a later message's.
            let rest = Bytes::copy_from_slice(&gathered[PREFIX + len..]);
            self.first_len = Some(len);
            self.skip_later(&rest, limit)?;
        }
        Ok(())
    }

    fn skip_later(&mut self, mut data: &[u8], limit: usize) -> Result<(), Status> {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            let n = (PREFIX - self.prefix.len()).min(data.len());
            self.prefix.extend_from_slice(&data[..n]);
            data = &data[n..];
            if let Some(len) = prefix_len(&self.prefix, limit)? {
                self.prefix.clear();
                self.skip = len;
            }
        }
        Ok(())
    }

    /// The first message's bytes, once the body has ended.
    fn finish(self) -> Result<Bytes, Status> {
        let Some(len) = self.first_len else {
            let gathered = self.joined.as_deref().unwrap_or(&self.whole);
            return Err(if gathered.is_empty() {
                Status::internal("Missing request message.")
            } else {
                unexpected_eof()
            });
        };
        if self.skip > 0 || !self.prefix.is_empty() {
            return Err(unexpected_eof());
        }
        let whole = match self.joined {
            Some(joined) => joined.freeze(),
            None => self.whole,
        };
        Ok(whole.slice(PREFIX..PREFIX + len))
    }
}

/// The message length a prefix announces, once the prefix is whole; tonic's errors for a bad one.
fn prefix_len(bytes: &[u8], limit: usize) -> Result<Option<usize>, Status> {
    let Some(prefix) = bytes.get(..PREFIX) else {
        return Ok(None);
    };
    match prefix[0] {
        0 => {}
        1 => {
            return Err(Status::internal(
                "protocol error: received message with compressed-flag but no grpc-encoding was specified",
            ));
        }
        flag => {
            return Err(Status::internal(format!(
                "protocol error: received message with invalid compression flag: {flag} (valid flags are 0 and \
                 1), while sending request"
            )));
        }
    }
    let len = u32::from_be_bytes([prefix[1], prefix[2], prefix[3], prefix[4]]) as usize;
    if len > limit {
        // RESOURCE_EXHAUSTED, as the specification says (tonic's decoder says OUT_OF_RANGE).
        return Err(Status::resource_exhausted(format!(
            "{DECODE_LIMIT}: found {len} bytes, the limit is: {limit} bytes"
        )));
    }
    Ok(Some(len))
}

/// RESOURCE_EXHAUSTED for a response message over the limit, as the specification says (tonic's encoder says
/// OUT_OF_RANGE, with this message).
pub(super) fn encoded_too_large(len: usize, limit: usize) -> Status {
    Status::resource_exhausted(format!(
        "{ENCODE_LIMIT}: found {len} bytes, the limit is: {limit} bytes"
    ))
}

fn unexpected_eof() -> Status {
    Status::internal("Unexpected EOF decoding stream.")
}

/// The handler's answer on the wire: headers, one DATA frame, trailers; or trailers-only for a status.
fn respond<R: Message>(
    answer: Result<tonic::Response<R>, Status>,
    encoding_limit: usize,
) -> http::Response<Body> {
    let response = match answer {
        Ok(response) => response,
        Err(status) => return spec_status_of(status).into_http(),
    };
    let (metadata, message, extensions) = response.into_parts();
    let len = message.encoded_len();
    if len > encoding_limit {
        // Trailers-only, the handler's metadata kept.
        let status = encoded_too_large(len, encoding_limit);
        let mut response = response_with(metadata, extensions, Body::empty());
        let _ = status.add_header(response.headers_mut());
        return response;
    }
    let mut buf = BytesMut::with_capacity(PREFIX + len);
    buf.put_u8(0);
    buf.put_u32(len as u32);
    message.encode_raw(&mut buf);
    let body = Body::new(OneMessage {
        data: Some(buf.freeze()),
        ended: false,
    });
    response_with(metadata, extensions, body)
}

/// A gRPC response of a handler's metadata and extensions (the headers gRPC reserves dropped, as tonic drops
/// them) with `body`.
pub(super) fn response_with(
    metadata: MetadataMap,
    extensions: http::Extensions,
    body: Body,
) -> http::Response<Body> {
    let mut headers = metadata.into_headers();
    if !headers.is_empty() {
        for name in &RESERVED {
            headers.remove(name);
        }
    }
    headers.insert(http::header::CONTENT_TYPE, GRPC_CONTENT_TYPE);
    let mut response = http::Response::new(body);
    *response.version_mut() = http::Version::HTTP_2;
    *response.headers_mut() = headers;
    *response.extensions_mut() = extensions;
    response
}

/// A unary answer's body: the message, then `grpc-status: 0`.
struct OneMessage {
    data: Option<Bytes>,
    ended: bool,
}

impl http_body::Body for OneMessage {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if self.ended {
            return Poll::Ready(None);
        }
        self.ended = true;
        let mut trailers = HeaderMap::with_capacity(1);
        trailers.insert(Status::GRPC_STATUS, HeaderValue::from_static("0"));
        Poll::Ready(Some(Ok(Frame::trailers(trailers))))
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}

/// The handler as the tower service tonic's `Grpc` calls, once.
pub(super) struct Once<H>(Option<H>);

impl<H> Once<H> {
    pub(super) fn new(handler: H) -> Self {
        Once(Some(handler))
    }
}

impl<H, M, F, R> tower::Service<tonic::Request<M>> for Once<H>
where
    H: FnOnce(tonic::Request<M>) -> F,
    F: Future<Output = Result<tonic::Response<R>, Status>>,
{
    type Response = tonic::Response<R>;
    type Error = Status;
    type Future =
        futures_util::future::Either<F, std::future::Ready<Result<tonic::Response<R>, Status>>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Status>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: tonic::Request<M>) -> Self::Future {
        match self.0.take() {
            Some(handler) => futures_util::future::Either::Left(handler(request)),
            None => futures_util::future::Either::Right(std::future::ready(Err(Status::internal(
                "a unary handler was called twice",
            )))),
        }
    }
}
