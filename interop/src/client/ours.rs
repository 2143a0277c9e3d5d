//! [`TestClient`] over the clients our macro generated.

use super::{Requests, TestClient};
use crate::messages::{
    Empty, SimpleRequest, SimpleResponse, StreamingInputCallRequest, StreamingInputCallResponse,
    StreamingOutputCallRequest, StreamingOutputCallResponse,
};
use crate::service::test_service_client::TestServiceClient;
use crate::service::unimplemented_service_client::UnimplementedServiceClient;
use crate::wire::WireChannel;
use std::future::Future;
use tonic::codec::CompressionEncoding;
use tonic::transport::Channel;
use tonic::{Request, Response, Status, Streaming};

/// Our generated `TestServiceClient` and `UnimplementedServiceClient` on one channel.
#[derive(Clone, Debug)]
pub struct OurClient {
    test: TestServiceClient<WireChannel<Channel>>,
    unimplemented: UnimplementedServiceClient<WireChannel<Channel>>,
}

impl OurClient {
    pub fn new(channel: Channel) -> Self {
        let channel = WireChannel::new(channel);
        OurClient {
            test: TestServiceClient::new(channel.clone())
                .accept_compressed(CompressionEncoding::Gzip),
            unimplemented: UnimplementedServiceClient::new(channel),
        }
    }
}

impl TestClient for OurClient {
    type Responses = Streaming<StreamingOutputCallResponse>;

    fn gzip_requests(mut self) -> Self {
        self.test = self.test.send_compressed(CompressionEncoding::Gzip);
        self
    }

    fn empty_call(
        &mut self,
        request: Request<Empty>,
    ) -> impl Future<Output = Result<Response<Empty>, Status>> + Send {
        self.test.empty_call(request)
    }

    fn unary_call(
        &mut self,
        request: Request<SimpleRequest>,
    ) -> impl Future<Output = Result<Response<SimpleResponse>, Status>> + Send {
        self.test.unary_call(request)
    }

    fn cacheable_unary_call(
        &mut self,
        request: Request<SimpleRequest>,
    ) -> impl Future<Output = Result<Response<SimpleResponse>, Status>> + Send {
        self.test.cacheable_unary_call(request)
    }

    fn streaming_output_call(
        &mut self,
        request: Request<StreamingOutputCallRequest>,
    ) -> impl Future<Output = Result<Response<Self::Responses>, Status>> + Send {
        self.test.streaming_output_call(request)
    }

    fn streaming_input_call(
        &mut self,
        request: Request<Requests<StreamingInputCallRequest>>,
    ) -> impl Future<Output = Result<Response<StreamingInputCallResponse>, Status>> + Send {
        self.test.streaming_input_call(request)
    }

    fn full_duplex_call(
        &mut self,
        request: Request<Requests<StreamingOutputCallRequest>>,
    ) -> impl Future<Output = Result<Response<Self::Responses>, Status>> + Send {
        self.test.full_duplex_call(request)
    }

    fn half_duplex_call(
        &mut self,
        request: Request<Requests<StreamingOutputCallRequest>>,
    ) -> impl Future<Output = Result<Response<Self::Responses>, Status>> + Send {
        self.test.half_duplex_call(request)
    }

    fn unimplemented_call(
        &mut self,
        request: Request<Empty>,
    ) -> impl Future<Output = Result<Response<Empty>, Status>> + Send {
        self.test.unimplemented_call(request)
    }

    fn unimplemented_service_call(
        &mut self,
        request: Request<Empty>,
    ) -> impl Future<Output = Result<Response<Empty>, Status>> + Send {
        self.unimplemented.unimplemented_call(request)
    }
}
