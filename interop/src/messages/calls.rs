//! What the calls of `TestService` carry: `empty.proto` and the first half of `messages.proto`.

use std::collections::HashMap;

/// `message Empty {}`: zero bytes on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct Empty {}

/// `message BoolValue`: a bool that can be absent (grpc's stand-in for `google.protobuf.BoolValue`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct BoolValue {
    #[prost(bool, tag = "1")]
    pub value: bool,
}

/// `enum PayloadType`: the only kind of payload there is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, hello::Describe,
)]
#[repr(i32)]
#[describe(package = "grpc.testing")]
pub enum PayloadType {
    Compressable = 0,
}

/// `message Payload`: a block of data to make a message the size a case wants.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct Payload {
    #[prost(enumeration = "PayloadType", tag = "1")]
    pub r#type: i32,
    #[prost(bytes = "vec", tag = "2")]
    pub body: Vec<u8>,
}

/// `message EchoStatus`: the status a client asks the server to end the call with.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct EchoStatus {
    #[prost(int32, tag = "1")]
    pub code: i32,
    #[prost(string, tag = "2")]
    pub message: String,
}

/// `enum GrpclbRouteType`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, hello::Describe,
)]
#[repr(i32)]
#[describe(package = "grpc.testing", value_prefix = "GRPCLB_ROUTE_TYPE_")]
pub enum GrpclbRouteType {
    Unknown = 0,
    Fallback = 1,
    Backend = 2,
}

/// `message SimpleRequest`: the request of UnaryCall and CacheableUnaryCall.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct SimpleRequest {
    #[prost(enumeration = "PayloadType", tag = "1")]
    pub response_type: i32,
    #[prost(int32, tag = "2")]
    pub response_size: i32,
    #[prost(message, optional, tag = "3")]
    pub payload: Option<Payload>,
    #[prost(bool, tag = "4")]
    pub fill_username: bool,
    #[prost(bool, tag = "5")]
    pub fill_oauth_scope: bool,
    #[prost(message, optional, tag = "6")]
    pub response_compressed: Option<BoolValue>,
    #[prost(message, optional, tag = "7")]
    pub response_status: Option<EchoStatus>,
    #[prost(message, optional, tag = "8")]
    pub expect_compressed: Option<BoolValue>,
    #[prost(bool, tag = "9")]
    pub fill_server_id: bool,
    #[prost(bool, tag = "10")]
    pub fill_grpclb_route_type: bool,
    #[prost(message, optional, tag = "11")]
    pub orca_per_query_report: Option<TestOrcaReport>,
}

/// `message SimpleResponse`.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct SimpleResponse {
    #[prost(message, optional, tag = "1")]
    pub payload: Option<Payload>,
    #[prost(string, tag = "2")]
    pub username: String,
    #[prost(string, tag = "3")]
    pub oauth_scope: String,
    #[prost(string, tag = "4")]
    pub server_id: String,
    #[prost(enumeration = "GrpclbRouteType", tag = "5")]
    pub grpclb_route_type: i32,
    #[prost(string, tag = "6")]
    pub hostname: String,
}

/// `message StreamingInputCallRequest`: one message of StreamingInputCall.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct StreamingInputCallRequest {
    #[prost(message, optional, tag = "1")]
    pub payload: Option<Payload>,
    #[prost(message, optional, tag = "2")]
    pub expect_compressed: Option<BoolValue>,
}

/// `message StreamingInputCallResponse`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct StreamingInputCallResponse {
    #[prost(int32, tag = "1")]
    pub aggregated_payload_size: i32,
}

/// `message ResponseParameters`: one response a streaming request asks for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct ResponseParameters {
    #[prost(int32, tag = "1")]
    pub size: i32,
    #[prost(int32, tag = "2")]
    pub interval_us: i32,
    #[prost(message, optional, tag = "3")]
    pub compressed: Option<BoolValue>,
}

/// `message StreamingOutputCallRequest`: the request of StreamingOutputCall, one message of Full/HalfDuplexCall.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct StreamingOutputCallRequest {
    #[prost(enumeration = "PayloadType", tag = "1")]
    pub response_type: i32,
    #[prost(message, repeated, tag = "2")]
    pub response_parameters: Vec<ResponseParameters>,
    #[prost(message, optional, tag = "3")]
    pub payload: Option<Payload>,
    #[prost(message, optional, tag = "7")]
    pub response_status: Option<EchoStatus>,
    #[prost(message, optional, tag = "8")]
    pub orca_oob_report: Option<TestOrcaReport>,
}

/// `message StreamingOutputCallResponse`.
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct StreamingOutputCallResponse {
    #[prost(message, optional, tag = "1")]
    pub payload: Option<Payload>,
}

/// `message TestOrcaReport`: load report data (ORCA tests; carried, not acted on, by this server).
#[derive(Clone, PartialEq, prost::Message, hello::Describe)]
#[describe(package = "grpc.testing")]
pub struct TestOrcaReport {
    #[prost(double, tag = "1")]
    pub cpu_utilization: f64,
    #[prost(double, tag = "2")]
    pub memory_utilization: f64,
    #[prost(map = "string, double", tag = "3")]
    pub request_cost: HashMap<String, f64>,
    #[prost(map = "string, double", tag = "4")]
    pub utilization: HashMap<String, f64>,
}
