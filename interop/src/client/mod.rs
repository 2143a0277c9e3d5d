//! The interop client: the standard cases (`cases.rs`), written against [`TestClient`] so that the same cases
//! run over our macro's client ([`OurClient`]) and, in the tests, over tonic-build's; and how to connect.

pub mod cases;
mod connect;
mod ours;

pub use connect::{Connection, connect};
pub use ours::OurClient;

use crate::messages::{
    Empty, SimpleRequest, SimpleResponse, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, StreamingOutputCallResponse,
};
use std::future::Future;
use std::pin::Pin;
use tokio_stream::Stream;
use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};

/// A stream of request messages, as every client takes them.
pub type Requests<M> = Pin<Box<dyn Stream<Item = M> + Send + 'static>>;

/// The calls the cases make: the client side of `TestService` and `UnimplementedService`, in our messages.
///
/// Every client accepts gzip responses. A case that needs a call's wire puts a [`crate::wire::CallWire`] in the
/// request's extensions; the client's channel must be a [`crate::wire::WireChannel`] for it to be filled.
pub trait TestClient: Clone + Send + Sync + 'static {
    /// A stream of `StreamingOutputCallResponse`, with its trailers.
    type Responses: ResponseStream;

    /// The same client, sending its requests gzip-compressed.
    fn gzip_requests(self) -> Self;

    fn empty_call(
        &mut self,
        request: Request<Empty>,
    ) -> impl Future<Output = Result<Response<Empty>, Status>> + Send;

    fn unary_call(
        &mut self,
        request: Request<SimpleRequest>,
    ) -> impl Future<Output = Result<Response<SimpleResponse>, Status>> + Send;

    fn cacheable_unary_call(
        &mut self,
        request: Request<SimpleRequest>,
    ) -> impl Future<Output = Result<Response<SimpleResponse>, Status>> + Send;

    fn streaming_output_call(
        &mut self,
        request: Request<StreamingOutputCallRequest>,
    ) -> impl Future<Output = Result<Response<Self::Responses>, Status>> + Send;

    fn streaming_input_call(
        &mut self,
        request: Request<Requests<StreamingInputCallRequest>>,
    ) -> impl Future<Output = Result<Response<StreamingInputCallResponse>, Status>> + Send;

    fn full_duplex_call(
        &mut self,
        request: Request<Requests<StreamingOutputCallRequest>>,
    ) -> impl Future<Output = Result<Response<Self::Responses>, Status>> + Send;

    fn half_duplex_call(
        &mut self,
        request: Request<Requests<StreamingOutputCallRequest>>,
    ) -> impl Future<Output = Result<Response<Self::Responses>, Status>> + Send;

    /// `grpc.testing.TestService/UnimplementedCall`.
    fn unimplemented_call(
        &mut self,
        request: Request<Empty>,
    ) -> impl Future<Output = Result<Response<Empty>, Status>> + Send;

    /// `grpc.testing.UnimplementedService/UnimplementedCall`.
    fn unimplemented_service_call(
        &mut self,
        request: Request<Empty>,
    ) -> impl Future<Output = Result<Response<Empty>, Status>> + Send;
}

/// The response stream of a streaming call.
pub trait ResponseStream: Send + 'static {
    /// The next message; `None` once the call ended with OK.
    fn message(
        &mut self,
    ) -> impl Future<Output = Result<Option<StreamingOutputCallResponse>, Status>> + Send;

    /// The trailers, once every message has been read.
    fn trailers(&mut self) -> impl Future<Output = Result<Option<MetadataMap>, Status>> + Send;
}

impl ResponseStream for tonic::Streaming<StreamingOutputCallResponse> {
    async fn message(&mut self) -> Result<Option<StreamingOutputCallResponse>, Status> {
        tonic::Streaming::message(self).await
    }

    async fn trailers(&mut self) -> Result<Option<MetadataMap>, Status> {
        tonic::Streaming::trailers(self).await
    }
}
