//! Messages encoded once and sent many times, as grpc-go's `PreparedMsg` offers (tonic has none).
//!
//! A [`Prepared<M>`] holds the protobuf encoding of an `M`. Sending it costs a copy of its bytes instead of
//! encoding `M` again: worth it for what a server sends over and over (a cache, static data such as the demo's
//! feature database). A handler answers with it where it would answer with `M`:
//!
//! | response | write |
//! |---|---|
//! | unary, always prepared | `Result<Response<Prepared<M>>, Status>` |
//! | unary, either | `Result<Response<Reply<M>>, Status>` |
//! | streamed, prepared and ordinary mixed | `Result<Response<impl Stream<Item = Result<Reply<M>, Status>>>, Status>` |
//!
//! The service's schema, its [`ServiceInfo`](crate::ServiceInfo) and its generated client see plain `M`: the
//! bytes on the wire are those `M` itself would give. Both types implement `prost::Message` by writing the held
//! bytes, so tonic's codec applies unchanged: the message is compressed when the call is, and the server's
//! `max_encoding_message_size` limit applies to it as to any other (RESOURCE_EXHAUSTED beyond it).
//!
//! Unlike grpc-go's `PreparedMsg`, which holds the bytes already compressed for one stream, a `Prepared` holds
//! them uncompressed, so one value serves every call whatever its compression.
//!
//! ```
//! use hello::{Prepared, Reply};
//! use prost::Message;
//!
//! #[derive(Clone, PartialEq, prost::Message)]
//! pub struct Note {
//!     #[prost(string, tag = "1")]
//!     pub text: String,
//! }
//!
//! let banner = Prepared::new(&Note { text: "welcome".into() });
//! // A stream may mix it with ordinary messages.
//! let replies: Vec<Reply<Note>> = vec![banner.clone().into(), Note { text: "hi".into() }.into()];
//! assert_eq!(replies[0].encoded_len(), banner.encoded().len());
//! assert_eq!(banner.decode().unwrap().text, "welcome");
//! ```

use prost::bytes::{Buf, BufMut, Bytes};
use prost::encoding::{self, DecodeContext, WireType};
use prost::{DecodeError, Message};
use std::fmt;
use std::marker::PhantomData;

/// The protobuf encoding of an `M`, made once and sent as `M` as often as wanted; cheap to clone (the bytes are
/// shared).
pub struct Prepared<M> {
    bytes: Bytes,
    // `fn() -> M`: a Prepared holds no `M`, so it is Send and Sync whatever `M` is.
    message: PhantomData<fn() -> M>,
}

impl<M: Message> Prepared<M> {
    /// Encodes `message` once.
    pub fn new(message: &M) -> Prepared<M> {
        Prepared::from_encoded_unchecked(Bytes::from(message.encode_to_vec()))
    }

    /// The message back from its bytes.
    pub fn decode(&self) -> Result<M, DecodeError>
    where
        M: Default,
    {
        M::decode(self.bytes.clone())
    }

    /// Bytes already encoded as an `M` (from a cache, a file), checked by decoding them once.
    pub fn from_encoded(bytes: Bytes) -> Result<Prepared<M>, DecodeError>
    where
        M: Default,
    {
        M::decode(bytes.clone())?;
        Ok(Prepared::from_encoded_unchecked(bytes))
    }
}

impl<M> Prepared<M> {
    /// Bytes taken to be an encoded `M` without looking: a peer gets whatever they hold.
    pub fn from_encoded_unchecked(bytes: Bytes) -> Prepared<M> {
        Prepared {
            bytes,
            message: PhantomData,
        }
    }

    /// The encoded message (without gRPC's 5-byte prefix).
    pub fn encoded(&self) -> &Bytes {
        &self.bytes
    }
}

impl<M> Clone for Prepared<M> {
    fn clone(&self) -> Self {
        Prepared::from_encoded_unchecked(self.bytes.clone())
    }
}

impl<M> PartialEq for Prepared<M> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<M> Eq for Prepared<M> {}

impl<M> fmt::Debug for Prepared<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Prepared<{}>({} bytes)",
            std::any::type_name::<M>(),
            self.bytes.len()
        )
    }
}

/// Sending writes the held bytes. Decoding into a `Prepared` (which nothing generated does: clients decode `M`)
/// appends each field's bytes as they come.
impl<M> Message for Prepared<M> {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.bytes);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        // Each field read as its wire type and written back: the bytes of an unknown field, kept.
        let mut field = Vec::new();
        match wire_type {
            WireType::Varint => {
                let mut value = 0;
                encoding::uint64::merge(wire_type, &mut value, buf, ctx)?;
                encoding::uint64::encode(tag, &value, &mut field);
            }
            WireType::SixtyFourBit => {
                let mut value = 0;
                encoding::fixed64::merge(wire_type, &mut value, buf, ctx)?;
                encoding::fixed64::encode(tag, &value, &mut field);
            }
            WireType::ThirtyTwoBit => {
                let mut value = 0;
                encoding::fixed32::merge(wire_type, &mut value, buf, ctx)?;
                encoding::fixed32::encode(tag, &value, &mut field);
            }
            // Groups (long deprecated) are refused: prost's own error for a wire type it did not expect.
            WireType::LengthDelimited | WireType::StartGroup | WireType::EndGroup => {
                let mut value = Vec::new();
                encoding::bytes::merge(wire_type, &mut value, buf, ctx)?;
                encoding::bytes::encode(tag, &value, &mut field);
            }
        }
        self.bytes = [&self.bytes[..], &field].concat().into();
        Ok(())
    }

    fn encoded_len(&self) -> usize {
        self.bytes.len()
    }

    fn clear(&mut self) {
        self.bytes = Bytes::new();
    }
}

/// A response message, as an `M` to encode or already [`Prepared`]: the item of a stream that mixes both, or a
/// unary answer that may be either. `From` makes one of each (`feature.into()`, `prepared.into()`).
#[derive(Clone, PartialEq)]
pub enum Reply<M> {
    /// Encoded when sent.
    Message(M),
    /// Encoded already.
    Prepared(Prepared<M>),
}

impl<M: Message> Reply<M> {
    /// The message, decoded if it was prepared.
    pub fn into_message(self) -> Result<M, DecodeError>
    where
        M: Default,
    {
        match self {
            Reply::Message(m) => Ok(m),
            Reply::Prepared(p) => p.decode(),
        }
    }
}

impl<M> From<Prepared<M>> for Reply<M> {
    fn from(prepared: Prepared<M>) -> Self {
        Reply::Prepared(prepared)
    }
}

impl<M: Message> From<M> for Reply<M> {
    fn from(message: M) -> Self {
        Reply::Message(message)
    }
}

impl<M: Default> Default for Reply<M> {
    fn default() -> Self {
        Reply::Message(M::default())
    }
}

impl<M: fmt::Debug> fmt::Debug for Reply<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Message(m) => m.fmt(f),
            Reply::Prepared(p) => p.fmt(f),
        }
    }
}

impl<M: Message> Message for Reply<M> {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        match self {
            Reply::Message(m) => m.encode_raw(buf),
            Reply::Prepared(p) => p.encode_raw(buf),
        }
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        match self {
            Reply::Message(m) => m.merge_field(tag, wire_type, buf, ctx),
            Reply::Prepared(p) => p.merge_field(tag, wire_type, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        match self {
            Reply::Message(m) => m.encoded_len(),
            Reply::Prepared(p) => p.encoded_len(),
        }
    }

    fn clear(&mut self) {
        match self {
            Reply::Message(m) => m.clear(),
            Reply::Prepared(p) => p.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, PartialEq, prost::Message)]
    struct Sample {
        #[prost(string, tag = "1")]
        name: String,
        #[prost(int64, tag = "2")]
        n: i64,
        #[prost(fixed32, tag = "3")]
        f: u32,
        #[prost(double, tag = "4")]
        d: f64,
    }

    fn sample() -> Sample {
        Sample {
            name: "北京".into(),
            n: -5,
            f: 7,
            d: 1.5,
        }
    }

    #[test]
    fn encodes_as_the_message_itself() {
        let prepared = Prepared::new(&sample());
        assert_eq!(prepared.encode_to_vec(), sample().encode_to_vec());
        assert_eq!(prepared.encoded_len(), sample().encoded_len());
        let reply: Reply<Sample> = prepared.clone().into();
        assert_eq!(reply.encode_to_vec(), sample().encode_to_vec());
        assert_eq!(
            Reply::from(sample()).encode_to_vec(),
            sample().encode_to_vec()
        );
        assert_eq!(reply.into_message().unwrap(), sample());
    }

    #[test]
    fn decoding_into_a_prepared_keeps_every_field() {
        let mut prepared = Prepared::<Sample>::from_encoded_unchecked(Bytes::new());
        prepared.merge(&sample().encode_to_vec()[..]).unwrap();
        assert_eq!(prepared.decode().unwrap(), sample());
        assert!(Prepared::<Sample>::from_encoded(Bytes::from_static(b"\x0a\x05ab")).is_err());
        let mut grouped = Prepared::<Sample>::from_encoded_unchecked(Bytes::new());
        assert!(grouped.merge(&b"\x0b\x0c"[..]).is_err());
    }
}
