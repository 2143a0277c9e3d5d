//! gRPC's length-prefixed framing by hand: the load generator and the ceiling deal in bytes, not messages, so
//! neither spends time on protobuf while measuring.

use bytes::{BufMut, Bytes, BytesMut};
use prost::Message;

/// One message with its 5-byte gRPC prefix (uncompressed flag, big-endian length).
pub fn frame(msg: &impl Message) -> Bytes {
    frames(std::iter::once(msg))
}

/// Several framed messages, back to back: a whole request or response body.
pub fn frames<'a, M: Message + 'a>(msgs: impl IntoIterator<Item = &'a M>) -> Bytes {
    let mut buf = BytesMut::new();
    for m in msgs {
        let len = m.encoded_len();
        buf.reserve(5 + len);
        buf.put_u8(0);
        // Messages here are far below 4 GiB; saturate rather than wrap should one ever not be.
        buf.put_u32(u32::try_from(len).unwrap_or(u32::MAX));
        // Encoding into a buffer reserved to size cannot fail.
        let _ = m.encode(&mut buf);
    }
    buf.freeze()
}

/// Decodes a whole body of framed messages; `None` if the framing or a message is bad.
pub fn decode_all<M: Message + Default>(mut body: &[u8]) -> Option<Vec<M>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let head = body.get(..5)?;
        if head[0] != 0 {
            return None; // compressed: never asked for here
        }
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        let msg = body.get(5..5 + len)?;
        out.push(M::decode(msg).ok()?);
        body = &body[5 + len..];
    }
    Some(out)
}

/// Counts the messages of a body that arrives in chunks of any size, without decoding them.
#[derive(Debug, Default, Clone)]
pub struct FrameCounter {
    head: [u8; 5],
    have: usize,
    remaining: u64,
    /// Messages whose prefix has been seen.
    pub messages: u64,
}

impl FrameCounter {
    pub fn feed(&mut self, mut chunk: &[u8]) {
        while !chunk.is_empty() {
            if self.remaining > 0 {
                let take = chunk
                    .len()
                    .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
                self.remaining -= take as u64;
                chunk = &chunk[take..];
                continue;
            }
            let take = chunk.len().min(5 - self.have);
            self.head[self.have..self.have + take].copy_from_slice(&chunk[..take]);
            self.have += take;
            chunk = &chunk[take..];
            if self.have == 5 {
                let h = self.head;
                self.remaining = u64::from(u32::from_be_bytes([h[1], h[2], h[3], h[4]]));
                self.messages += 1;
                self.have = 0;
            }
        }
    }

    /// Whether the body ended on a message boundary.
    pub fn complete(&self) -> bool {
        self.have == 0 && self.remaining == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hello::demo::Point;

    #[test]
    fn counts_messages_split_anywhere() {
        let pts: Vec<Point> = (0..50)
            .map(|i| Point {
                latitude: i as f32,
                longitude: 0.0,
            })
            .collect();
        let body = frames(&pts);
        for step in [1, 2, 3, 5, 7, 64, body.len()] {
            let mut c = FrameCounter::default();
            for chunk in body.chunks(step) {
                c.feed(chunk);
            }
            assert_eq!(c.messages, 50, "step {step}");
            assert!(c.complete());
        }
        assert_eq!(decode_all::<Point>(&body), Some(pts));
        assert_eq!(decode_all::<Point>(&body[..body.len() - 1]), None);
    }
}
