//! An HTTP body wrapper that cuts a gRPC body into its messages, each a flag byte (1: compressed), a 4-byte
//! big-endian length and the bytes, and passes them on whole: recording the flag of each message received, or
//! sending uncompressed the messages asked to be, or adding trailers.

use super::CallWire;
use bytes::{BufMut, Bytes, BytesMut};
use http_body::{Body, Frame};
use pin_project_lite::pin_project;
use std::io::Read;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tonic::codegen::http::HeaderMap;

const HEADER: usize = 5;

/// Which way the messages go, seen from this side of the call.
#[derive(Debug)]
pub enum Direction {
    /// Received: record each message's flag (and the trailers).
    Incoming,
    /// Sent: honour [`CallWire::send_next`]; `gzip` says the call's messages are gzip-compressed.
    Outgoing { gzip: bool },
}

pin_project! {
    /// See the module documentation.
    pub struct Framed<B> {
        #[pin]
        inner: B,
        wire: CallWire,
        direction: Direction,
        buf: BytesMut,
        // Trailers to add to the inner body's own.
        extra_trailers: HeaderMap,
        // Trailers held back while the bytes before them go out.
        held: Option<HeaderMap>,
    }
}

impl<B> Framed<B> {
    pub fn new(inner: B, wire: CallWire, direction: Direction, extra_trailers: HeaderMap) -> Self {
        Framed {
            inner,
            wire,
            direction,
            buf: BytesMut::new(),
            extra_trailers,
            held: None,
        }
    }
}

/// Splits one whole message off the front of `buf`: its compressed flag and its bytes, header included.
fn split_message(buf: &mut BytesMut) -> Option<(bool, Bytes)> {
    let header = buf.get(..HEADER)?;
    let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
    if buf.len() < HEADER + len {
        return None;
    }
    let compressed = header[0] & 1 == 1;
    Some((compressed, buf.split_to(HEADER + len).freeze()))
}

/// The message `frame` (header included) with its body gunzipped and its flag cleared; `None` if it is not gzip.
fn gunzipped(frame: &Bytes) -> Option<Bytes> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&frame[HEADER..])
        .read_to_end(&mut plain)
        .ok()?;
    let len = u32::try_from(plain.len()).ok()?;
    let mut out = BytesMut::with_capacity(HEADER + plain.len());
    out.put_u8(0);
    out.put_u32(len);
    out.put_slice(&plain);
    Some(out.freeze())
}

impl<B> Body for Framed<B>
where
    B: Body<Data = Bytes>,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let mut this = self.project();
        loop {
            if let Some((compressed, message)) = split_message(this.buf) {
                let message = match this.direction {
                    Direction::Incoming => {
                        this.wire.record(compressed);
                        message
                    }
                    Direction::Outgoing { gzip } => {
                        let wish = this.wire.next_wish();
                        match (wish, compressed, *gzip) {
                            (Some(false), true, true) => gunzipped(&message).unwrap_or(message),
                            _ => message,
                        }
                    }
                };
                return Poll::Ready(Some(Ok(Frame::data(message))));
            }
            if let Some(trailers) = this.held.take() {
                return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
            }
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => this.buf.extend_from_slice(&data),
                    Err(frame) => {
                        let Ok(mut trailers) = frame.into_trailers() else {
                            continue; // A kind of frame this wrapper does not know: nothing to pass on.
                        };
                        for (name, value) in this.extra_trailers.drain() {
                            if let Some(name) = name {
                                trailers.insert(name, value);
                            }
                        }
                        if matches!(this.direction, Direction::Incoming) {
                            this.wire.set_trailers(&trailers);
                        }
                        if this.buf.is_empty() {
                            return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
                        }
                        // An incomplete message before the trailers: pass it on as it is, the peer will judge.
                        *this.held = Some(trailers);
                        let rest = this.buf.split().freeze();
                        return Poll::Ready(Some(Ok(Frame::data(rest))));
                    }
                },
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None if this.buf.is_empty() => return Poll::Ready(None),
                None => {
                    let rest = this.buf.split().freeze();
                    return Poll::Ready(Some(Ok(Frame::data(rest))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream() && self.buf.is_empty() && self.held.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Buf;

    fn message(flag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![flag];
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn splits_whole_messages_only() {
        let mut bytes = message(1, b"abc");
        bytes.extend(message(0, b""));
        bytes.extend(&message(0, b"xyz")[..6]);
        let mut buf = BytesMut::from(&bytes[..]);
        assert_eq!(
            split_message(&mut buf),
            Some((true, Bytes::from(message(1, b"abc"))))
        );
        assert_eq!(
            split_message(&mut buf),
            Some((false, Bytes::from(message(0, b""))))
        );
        assert_eq!(split_message(&mut buf), None);
        assert_eq!(buf.remaining(), 6);
    }

    #[test]
    fn gunzips_a_gzip_message() {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(b"hello hello hello").unwrap();
        let zipped = encoder.finish().unwrap();
        let plain = gunzipped(&Bytes::from(message(1, &zipped))).unwrap();
        assert_eq!(plain, Bytes::from(message(0, b"hello hello hello")));
        assert_eq!(gunzipped(&Bytes::from(message(1, b"not gzip"))), None);
    }
}
