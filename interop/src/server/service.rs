//! Our `TestService` and `UnimplementedService`: the generated traits implemented with the shared logic.

use super::logic;
use crate::messages::{
    Empty, SimpleRequest, SimpleResponse, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, StreamingOutputCallResponse,
};
use crate::service::{TestService, UnimplementedService};
use crate::wire::CallWire;
use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};

/// The standard interop server's `TestService`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Interop;

/// The call's wire, put there by [`crate::wire::WireLayer`]; a blank one when served without the layer.
fn wire<T>(request: &Request<T>) -> CallWire {
    request
        .extensions()
        .get::<CallWire>()
        .cloned()
        .unwrap_or_default()
}

impl TestService for Interop {
    async fn empty_call(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        Ok(Response::new(Empty {}))
    }

    async fn unary_call(
        &self,
        request: Request<SimpleRequest>,
    ) -> Result<Response<SimpleResponse>, Status> {
        let wire = wire(&request);
        logic::unary(request.into_inner(), &wire)
    }

    async fn cacheable_unary_call(
        &self,
        request: Request<SimpleRequest>,
    ) -> Result<Response<SimpleResponse>, Status> {
        logic::cacheable_unary(request.into_inner())
    }

    async fn streaming_output_call(
        &self,
        request: Request<StreamingOutputCallRequest>,
    ) -> Result<
        Response<impl Stream<Item = Result<StreamingOutputCallResponse, Status>> + Send + use<>>,
        Status,
    > {
        let wire = wire(&request);
        logic::streaming_output(request.into_inner(), wire)
    }

    async fn streaming_input_call(
        &self,
        request: Request<Streaming<StreamingInputCallRequest>>,
    ) -> Result<Response<StreamingInputCallResponse>, Status> {
        let wire = wire(&request);
        logic::streaming_input(request.into_inner(), &wire).await
    }

    async fn full_duplex_call(
        &self,
        request: Request<Streaming<StreamingOutputCallRequest>>,
    ) -> Result<
        Response<impl Stream<Item = Result<StreamingOutputCallResponse, Status>> + Send + use<>>,
        Status,
    > {
        let wire = wire(&request);
        Ok(logic::full_duplex(request.into_inner(), wire))
    }

    async fn half_duplex_call(
        &self,
        request: Request<Streaming<StreamingOutputCallRequest>>,
    ) -> Result<
        Response<impl Stream<Item = Result<StreamingOutputCallResponse, Status>> + Send + use<>>,
        Status,
    > {
        let wire = wire(&request);
        Ok(logic::half_duplex(request.into_inner(), wire))
    }

    async fn unimplemented_call(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<Empty>, Status> {
        Err(Status::unimplemented(
            "grpc.testing.TestService/UnimplementedCall is not implemented",
        ))
    }
}

/// `UnimplementedService` exists only as a client here; this impl is not served (standard servers answer
/// UNIMPLEMENTED for the whole service) but shows the trait can be implemented like any other.
impl UnimplementedService for Interop {
    async fn unimplemented_call(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<Empty>, Status> {
        Err(Status::unimplemented(
            "grpc.testing.UnimplementedService is not implemented",
        ))
    }
}
