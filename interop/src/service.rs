//! The services of `proto/grpc/testing/test.proto`, defined with our macro: each trait is the service, the
//! macro makes its server, its client and its `ServiceInfo`.

use crate::messages::{
    Empty, ReconnectInfo, ReconnectParams, SimpleRequest, SimpleResponse,
    StreamingInputCallRequest, StreamingInputCallResponse, StreamingOutputCallRequest,
    StreamingOutputCallResponse,
};
use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};

/// `service TestService`: every shape of call, with payloads, statuses and metadata the client asks for.
#[hello::service(package = "grpc.testing")]
pub trait TestService {
    /// One empty request followed by one empty response.
    async fn empty_call(&self, request: Request<Empty>) -> Result<Response<Empty>, Status>;

    /// One request followed by one response.
    async fn unary_call(
        &self,
        request: Request<SimpleRequest>,
    ) -> Result<Response<SimpleResponse>, Status>;

    /// One request followed by one response that caching proxies may keep.
    async fn cacheable_unary_call(
        &self,
        request: Request<SimpleRequest>,
    ) -> Result<Response<SimpleResponse>, Status>;

    /// One request followed by a sequence of responses (streamed download).
    async fn streaming_output_call(
        &self,
        request: Request<StreamingOutputCallRequest>,
    ) -> Result<Response<impl Stream<Item = Result<StreamingOutputCallResponse, Status>>>, Status>;

    /// A sequence of requests followed by one response (streamed upload).
    async fn streaming_input_call(
        &self,
        request: Request<Streaming<StreamingInputCallRequest>>,
    ) -> Result<Response<StreamingInputCallResponse>, Status>;

    /// Each request served as it arrives.
    async fn full_duplex_call(
        &self,
        request: Request<Streaming<StreamingOutputCallRequest>>,
    ) -> Result<Response<impl Stream<Item = Result<StreamingOutputCallResponse, Status>>>, Status>;

    /// All requests first, then all the responses, in order.
    async fn half_duplex_call(
        &self,
        request: Request<Streaming<StreamingOutputCallRequest>>,
    ) -> Result<Response<impl Stream<Item = Result<StreamingOutputCallResponse, Status>>>, Status>;

    /// A method no test server implements: clients expect UNIMPLEMENTED.
    async fn unimplemented_call(&self, request: Request<Empty>) -> Result<Response<Empty>, Status>;
}

/// `service UnimplementedService`: a service no test server serves.
#[hello::service(package = "grpc.testing")]
pub trait UnimplementedService {
    /// A call that no server should implement.
    async fn unimplemented_call(&self, request: Request<Empty>) -> Result<Response<Empty>, Status>;
}

/// `service ReconnectService`: controls grpc's reconnect test server (not served here; defined so that the
/// schema is the whole of test.proto).
#[hello::service(package = "grpc.testing")]
pub trait ReconnectService {
    async fn start(&self, request: Request<ReconnectParams>) -> Result<Response<Empty>, Status>;

    async fn stop(&self, request: Request<Empty>) -> Result<Response<ReconnectInfo>, Status>;
}
