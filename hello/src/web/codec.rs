//! The two encodings of a Connect message: protobuf bytes, passed through as they are, and ProtoJSON,
//! transcoded to and from protobuf with prost-reflect over the method's descriptors.

use crate::web::methods::JsonTypes;
use bytes::Bytes;
use prost::Message;
use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};
use tonic::Status;

/// How one call's messages are encoded on the Connect side.
#[derive(Debug, Clone)]
pub enum Codec {
    /// `application/proto`, `application/connect+proto`: the gRPC message bytes themselves.
    Proto,
    /// `application/json`, `application/connect+json`: ProtoJSON of these types.
    Json(JsonTypes),
}

impl Codec {
    /// A request message as the gRPC service reads it.
    pub fn request_to_proto(&self, message: Bytes) -> Result<Bytes, Status> {
        match self {
            Codec::Proto => Ok(message),
            Codec::Json(types) => json_to_proto(&types.input, &message),
        }
    }

    /// A response message as the Connect client reads it.
    pub fn response_from_proto(&self, message: Bytes) -> Result<Bytes, Status> {
        match self {
            Codec::Proto => Ok(message),
            Codec::Json(types) => proto_to_json(&types.output, &message),
        }
    }
}

/// ProtoJSON to protobuf; unknown fields, wrong types and malformed JSON are INVALID_ARGUMENT naming the type.
pub fn json_to_proto(desc: &MessageDescriptor, json: &[u8]) -> Result<Bytes, Status> {
    // An empty body is the empty message, as for protobuf.
    let json: &[u8] = if json.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        json
    };
    let mut de = serde_json::Deserializer::from_slice(json);
    let message =
        DynamicMessage::deserialize_with_options(desc.clone(), &mut de, &DeserializeOptions::new())
            .and_then(|m| de.end().map(|()| m))
            .map_err(|e| {
                Status::invalid_argument(format!("cannot read {} from JSON: {e}", desc.full_name()))
            })?;
    Ok(message.encode_to_vec().into())
}

/// Protobuf to ProtoJSON (lowerCamelCase names, 64-bit integers as strings, enums by name).
pub fn proto_to_json(desc: &MessageDescriptor, proto: &[u8]) -> Result<Bytes, Status> {
    let message = DynamicMessage::decode(desc.clone(), proto).map_err(|e| {
        Status::internal(format!(
            "the service sent a {} that does not decode: {e}",
            desc.full_name()
        ))
    })?;
    let mut out = Vec::with_capacity(proto.len() * 2 + 2);
    let mut ser = serde_json::Serializer::new(&mut out);
    message
        .serialize_with_options(&mut ser, &SerializeOptions::new())
        .map_err(|e| Status::internal(format!("cannot write {} as JSON: {e}", desc.full_name())))?;
    Ok(out.into())
}
