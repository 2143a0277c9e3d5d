//! The length-prefixed envelope that gRPC, gRPC-Web and Connect streaming share: one flags byte, a big-endian
//! `u32` length, then the message. Connect adds the end-of-stream flag for its last, JSON, envelope.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::io::{Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tonic::Status;

/// The message is compressed with the stream's encoding.
pub const COMPRESSED: u8 = 0x01;
/// Connect's end-of-stream envelope: a JSON object with the status and trailers.
pub const END_STREAM: u8 = 0x02;
const HEADER_LEN: usize = 5;

/// One envelope: its flags and its payload.
pub fn frame(flags: u8, payload: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(HEADER_LEN + payload.len());
    out.put_u8(flags);
    out.put_u32(payload.len() as u32);
    out.put_slice(payload);
    out.freeze()
}

/// Splits a byte stream, arriving in pieces of any size, into envelopes.
#[derive(Debug, Default)]
pub struct Deframer {
    buf: BytesMut,
}

impl Deframer {
    /// Appends what arrived.
    pub fn push(&mut self, mut data: impl Buf) {
        while data.has_remaining() {
            let chunk = data.chunk();
            self.buf.extend_from_slice(chunk);
            let n = chunk.len();
            data.advance(n);
        }
    }

    /// The next whole envelope, if one has arrived. Refuses one announced larger than `limit` before it is
    /// buffered, so a lying length costs nothing.
    pub fn next(&mut self, limit: usize) -> Result<Option<(u8, Bytes)>, Status> {
        if self.buf.len() < HEADER_LEN {
            return Ok(None);
        }
        let flags = self.buf[0];
        let len = u32::from_be_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]]) as usize;
        if len > limit {
            return Err(too_large(len, limit));
        }
        if self.buf.len() < HEADER_LEN + len {
            return Ok(None);
        }
        self.buf.advance(HEADER_LEN);
        Ok(Some((flags, self.buf.split_to(len).freeze())))
    }

    /// Bytes left that make no whole envelope: at the end of a stream, a truncated one.
    pub fn leftover(&self) -> usize {
        self.buf.len()
    }

    /// The next envelope of `body`, reading from it only when no whole envelope is buffered: what both
    /// directions of a Connect stream do with the body they translate.
    pub fn poll_envelope<B>(
        &mut self,
        mut body: Pin<&mut B>,
        limit: usize,
        cx: &mut Context<'_>,
    ) -> Poll<Pulled<B::Error>>
    where
        B: http_body::Body<Data = Bytes>,
    {
        loop {
            match self.next(limit) {
                Ok(Some((flags, message))) => return Poll::Ready(Pulled::Envelope(flags, message)),
                Ok(None) => {}
                Err(status) => return Poll::Ready(Pulled::Refused(status)),
            }
            match ready!(body.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => self.push(data),
                    Err(frame) => {
                        if let Ok(trailers) = frame.into_trailers() {
                            return Poll::Ready(Pulled::Trailers(trailers));
                        }
                    }
                },
                Some(Err(e)) => return Poll::Ready(Pulled::Broken(e)),
                None => {
                    return Poll::Ready(Pulled::End {
                        leftover: self.leftover(),
                    });
                }
            }
        }
    }
}

/// What [`Deframer::poll_envelope`] found next.
#[derive(Debug)]
pub enum Pulled<E> {
    /// A whole envelope: its flags and its payload.
    Envelope(u8, Bytes),
    /// An envelope announced larger than the limit.
    Refused(Status),
    /// The body's trailers.
    Trailers(http::HeaderMap),
    /// The body's error.
    Broken(E),
    /// The body ended, `leftover` bytes short of a whole envelope (0: it ended cleanly).
    End { leftover: usize },
}

/// RESOURCE_EXHAUSTED for a message over the size limit, worded as tonic words its own.
pub fn too_large(len: usize, limit: usize) -> Status {
    Status::resource_exhausted(format!(
        "message of {len} bytes is larger than the limit of {limit} bytes"
    ))
}

/// The encodings this layer reads and writes besides `identity`.
pub fn supported(encoding: &str) -> bool {
    matches!(encoding, "identity" | "gzip")
}

/// `data` gzip-compressed.
pub fn gzip(data: &[u8]) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 2 + 32), Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default().into()
}

/// `data` gunzipped, refused once it grows past `limit` (a small bomb must not fill memory).
pub fn gunzip(data: &[u8], limit: usize) -> Result<Bytes, Status> {
    let mut out = Vec::new();
    let mut decoder = GzDecoder::new(data).take(limit as u64 + 1);
    decoder
        .read_to_end(&mut out)
        .map_err(|e| Status::invalid_argument(format!("cannot gunzip the message: {e}")))?;
    if out.len() > limit {
        return Err(Status::resource_exhausted(format!(
            "message is larger than the limit of {limit} bytes once decompressed"
        )));
    }
    Ok(out.into())
}

/// Whether an `Accept-Encoding`-style list names gzip.
pub fn accepts_gzip(value: Option<&http::HeaderValue>) -> bool {
    value.and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(',')
            .any(|e| e.split(';').next().unwrap_or("").trim() == "gzip")
    })
}
