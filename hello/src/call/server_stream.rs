//! The server-streaming path: the request read as the unary path reads it, and the response stream encoded
//! straight into one buffer, message after message while the handler's stream is ready, sent in chunks of up to
//! 32 KiB (tonic's yield threshold), then the status in the trailers.
//!
//! tonic's `EncodeBody` does the same through a fused stream, a codec object and a separate pass that writes each
//! message's prefix; for small messages (and above all prepared ones, which are a copy) that machinery is most of
//! the cost per message. Calls that negotiate compression go through tonic's `Grpc::server_streaming` as before.

use super::Deadline;
use super::unary::{CallConfig, PREFIX, encoded_too_large, read};
use super::within;
use bytes::{BufMut, BytesMut};
use http::HeaderMap;
use http_body::Frame;
use prost::Message;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio_stream::Stream;
use tonic::Status;
use tonic::body::Body;

/// The buffer a response stream starts with, as tonic's codec (it grows as messages need).
const BUFFER: usize = 8 << 10;
/// A chunk goes out once it holds this much, as tonic's codec yields.
const YIELD_AT: usize = 32 << 10;

/// Serves one server-streaming call: `handler` is the trait method (its stream to be bounded by the deadline it
/// is handed, see `streamed`), called with the call's deadline and the decoded request.
pub async fn server_streaming<B, M, R, S, H, F>(
    config: CallConfig,
    request: http::Request<B>,
    handler: H,
) -> http::Response<Body>
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send,
    M: Message + Default + Send + 'static,
    R: Message + Send + 'static,
    S: Stream<Item = Result<R, Status>> + Send + 'static,
    H: FnOnce(Option<Deadline>, tonic::Request<M>) -> F,
    F: Future<Output = Result<tonic::Response<S>, Status>>,
{
    let (deadline, compresses) = config.look(request.headers());
    if compresses {
        let mut grpc = config.grpc(tonic_prost::ProstCodec::<R, M>::default());
        let service = super::unary::Once::new(|request| handler(deadline, request));
        return within(deadline, grpc.server_streaming(service, request)).await;
    }
    // Within the deadline, and the headers wait for the first frame: a status before any message goes out
    // trailers-only.
    within(deadline, async move {
        let answer = match read(request, config.max_decoding).await {
            Ok(request) => handler(deadline, request).await,
            Err(status) => Err(status),
        };
        let response = match answer {
            Ok(response) => response,
            Err(status) => return super::spec_status_of(status).into_http(),
        };
        let (metadata, stream, extensions) = response.into_parts();
        let body = Encoded {
            stream,
            buf: BytesMut::with_capacity(BUFFER),
            limit: config.encoding_limit(),
            end: None,
            done: false,
        };
        super::unary::response_with(metadata, extensions, Body::new(body))
    })
    .await
}

pin_project_lite::pin_project! {
    /// The response stream's messages, encoded as they come; then the trailers.
    struct Encoded<S> {
        #[pin]
        stream: S,
        buf: BytesMut,
        limit: usize,
        // The status to end with, once the stream ended or failed.
        end: Option<Status>,
        done: bool,
    }
}

impl<S, R> http_body::Body for Encoded<S>
where
    S: Stream<Item = Result<R, Status>>,
    R: Message,
{
    type Data = bytes::Bytes;
    type Error = Status;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<bytes::Bytes>, Status>>> {
        let mut this = self.project();
        if *this.done {
            return Poll::Ready(None);
        }
        while this.end.is_none() && this.buf.len() < YIELD_AT {
            match this.stream.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(message))) => {
                    let len = message.encoded_len();
                    if len > *this.limit {
                        *this.end = Some(encoded_too_large(len, *this.limit));
                        break;
                    }
                    this.buf.reserve(PREFIX + len);
                    this.buf.put_u8(0);
                    this.buf.put_u32(len as u32);
                    message.encode_raw(&mut this.buf);
                }
                Poll::Ready(Some(Err(status))) => *this.end = Some(status),
                Poll::Ready(None) => *this.end = Some(Status::ok("")),
                Poll::Pending => break,
            }
        }
        if !this.buf.is_empty() {
            return Poll::Ready(Some(Ok(Frame::data(this.buf.split().freeze()))));
        }
        match this.end.take() {
            Some(status) => {
                *this.done = true;
                let mut trailers = HeaderMap::new();
                let _ = status.add_header(&mut trailers);
                Poll::Ready(Some(Ok(Frame::trailers(trailers))))
            }
            None => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }
}
