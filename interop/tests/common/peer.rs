//! The independent peer: tonic-build's messages, server and client for proto/grpc/testing/test.proto (generated
//! by interop/build.rs with protox). Its server answers with the same logic as ours (`interop::server::logic`)
//! and its client runs the same cases, converting messages at the edges by their wire bytes; what differs is
//! everything the generated code does: routing, codecs, streams, compression, metadata.

use hello_testkit::{Running, incoming};
use interop::client::{Requests, ResponseStream, TestClient};
use interop::messages as ours;
use interop::server::logic;
use interop::wire::{CallWire, WireChannel, WireLayer};
use prost::Message;
use std::pin::Pin;
use tokio_stream::{Stream, StreamExt};
use tonic::codec::CompressionEncoding;
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;
use tonic::{Request, Response, Status, Streaming};

pub mod pb {
    include!(concat!(env!("OUT_DIR"), "/grpc.testing.rs"));
}

use pb::test_service_client::TestServiceClient;
use pb::test_service_server::{TestService, TestServiceServer};
use pb::unimplemented_service_client::UnimplementedServiceClient;

/// The same message in the other type, through its wire bytes.
fn convert<A: Message, B: Message + Default>(message: &A) -> Result<B, Status> {
    B::decode(message.encode_to_vec().as_slice())
        .map_err(|e| Status::internal(format!("not wire-compatible: {e}")))
}

fn convert_request<A: Message, B: Message + Default>(
    request: Request<A>,
) -> Result<Request<B>, Status> {
    let (metadata, extensions, message) = request.into_parts();
    Ok(Request::from_parts(
        metadata,
        extensions,
        convert(&message)?,
    ))
}

fn convert_response<A: Message, B: Message + Default>(
    response: Response<A>,
) -> Result<Response<B>, Status> {
    let (metadata, message, extensions) = response.into_parts();
    Ok(Response::from_parts(
        metadata,
        convert(&message)?,
        extensions,
    ))
}

fn converted_stream<A, B>(
    stream: impl Stream<Item = Result<A, Status>> + Send + Unpin + 'static,
) -> impl Stream<Item = Result<B, Status>> + Send + Unpin + 'static
where
    A: Message,
    B: Message + Default,
{
    stream.map(|item| item.and_then(|m| convert(&m)))
}

fn wire<T>(request: &Request<T>) -> CallWire {
    request
        .extensions()
        .get::<CallWire>()
        .cloned()
        .unwrap_or_default()
}

// ---- their server -------------------------------------------------------------------------------------------

/// tonic-build's `TestService` trait, implemented with the shared logic.
pub struct PeerServer;

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

fn their_responses(
    response: Response<logic::Responses>,
) -> Response<BoxStream<pb::StreamingOutputCallResponse>> {
    response.map(|stream| Box::pin(converted_stream(stream)) as BoxStream<_>)
}

#[tonic::async_trait]
impl TestService for PeerServer {
    async fn empty_call(
        &self,
        _request: Request<pb::Empty>,
    ) -> Result<Response<pb::Empty>, Status> {
        Ok(Response::new(pb::Empty {}))
    }

    async fn unary_call(
        &self,
        request: Request<pb::SimpleRequest>,
    ) -> Result<Response<pb::SimpleResponse>, Status> {
        let wire = wire(&request);
        convert_response(logic::unary(convert(request.get_ref())?, &wire)?)
    }

    async fn cacheable_unary_call(
        &self,
        request: Request<pb::SimpleRequest>,
    ) -> Result<Response<pb::SimpleResponse>, Status> {
        convert_response(logic::cacheable_unary(convert(request.get_ref())?)?)
    }

    type StreamingOutputCallStream = BoxStream<pb::StreamingOutputCallResponse>;

    async fn streaming_output_call(
        &self,
        request: Request<pb::StreamingOutputCallRequest>,
    ) -> Result<Response<Self::StreamingOutputCallStream>, Status> {
        let wire = wire(&request);
        Ok(their_responses(logic::streaming_output(
            convert(request.get_ref())?,
            wire,
        )?))
    }

    async fn streaming_input_call(
        &self,
        request: Request<Streaming<pb::StreamingInputCallRequest>>,
    ) -> Result<Response<pb::StreamingInputCallResponse>, Status> {
        let wire = wire(&request);
        let requests = converted_stream::<_, ours::StreamingInputCallRequest>(request.into_inner());
        convert_response(logic::streaming_input(requests, &wire).await?)
    }

    type FullDuplexCallStream = BoxStream<pb::StreamingOutputCallResponse>;

    async fn full_duplex_call(
        &self,
        request: Request<Streaming<pb::StreamingOutputCallRequest>>,
    ) -> Result<Response<Self::FullDuplexCallStream>, Status> {
        let wire = wire(&request);
        let requests =
            converted_stream::<_, ours::StreamingOutputCallRequest>(request.into_inner());
        Ok(their_responses(logic::full_duplex(requests, wire)))
    }

    type HalfDuplexCallStream = BoxStream<pb::StreamingOutputCallResponse>;

    async fn half_duplex_call(
        &self,
        request: Request<Streaming<pb::StreamingOutputCallRequest>>,
    ) -> Result<Response<Self::HalfDuplexCallStream>, Status> {
        let wire = wire(&request);
        let requests =
            converted_stream::<_, ours::StreamingOutputCallRequest>(request.into_inner());
        Ok(their_responses(logic::half_duplex(requests, wire)))
    }

    async fn unimplemented_call(
        &self,
        _request: Request<pb::Empty>,
    ) -> Result<Response<pb::Empty>, Status> {
        Err(Status::unimplemented("not implemented"))
    }
}

/// tonic-build's server for `TestService`, configured as ours is (the wire layer beside it).
pub async fn start_server() -> Running {
    let service = TestServiceServer::new(PeerServer)
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip);
    let router = tonic::transport::Server::builder()
        .layer(WireLayer)
        .add_service(service);
    Running::serve(|listener, shutdown| {
        router.serve_with_incoming_shutdown(incoming(listener), shutdown)
    })
    .await
}

// ---- their client -------------------------------------------------------------------------------------------

/// tonic-build's clients, running our cases.
#[derive(Clone)]
pub struct PeerClient {
    test: TestServiceClient<WireChannel<Channel>>,
    unimplemented: UnimplementedServiceClient<WireChannel<Channel>>,
}

impl PeerClient {
    pub fn new(channel: Channel) -> Self {
        let channel = WireChannel::new(channel);
        PeerClient {
            test: TestServiceClient::new(channel.clone())
                .accept_compressed(CompressionEncoding::Gzip),
            unimplemented: UnimplementedServiceClient::new(channel),
        }
    }
}

/// A stream of our messages as a stream of theirs (the cases only send convertible messages).
fn their_requests<A, B>(
    request: Request<Requests<A>>,
) -> Request<impl Stream<Item = B> + Send + 'static>
where
    A: Message + 'static,
    B: Message + Default + 'static,
{
    request.map(|stream| stream.map(|m| convert(&m).expect("our messages convert to theirs")))
}

/// tonic-build's response stream, in our messages.
pub struct PeerResponses(Streaming<pb::StreamingOutputCallResponse>);

impl ResponseStream for PeerResponses {
    async fn message(&mut self) -> Result<Option<ours::StreamingOutputCallResponse>, Status> {
        match self.0.message().await? {
            Some(message) => Ok(Some(convert(&message)?)),
            None => Ok(None),
        }
    }

    async fn trailers(&mut self) -> Result<Option<MetadataMap>, Status> {
        self.0.trailers().await
    }
}

fn our_responses(
    response: Response<Streaming<pb::StreamingOutputCallResponse>>,
) -> Response<PeerResponses> {
    response.map(PeerResponses)
}

impl TestClient for PeerClient {
    type Responses = PeerResponses;

    fn gzip_requests(mut self) -> Self {
        self.test = self.test.send_compressed(CompressionEncoding::Gzip);
        self
    }

    async fn empty_call(
        &mut self,
        request: Request<ours::Empty>,
    ) -> Result<Response<ours::Empty>, Status> {
        convert_response(
            self.test
                .empty_call(convert_request::<_, pb::Empty>(request)?)
                .await?,
        )
    }

    async fn unary_call(
        &mut self,
        request: Request<ours::SimpleRequest>,
    ) -> Result<Response<ours::SimpleResponse>, Status> {
        convert_response(
            self.test
                .unary_call(convert_request::<_, pb::SimpleRequest>(request)?)
                .await?,
        )
    }

    async fn cacheable_unary_call(
        &mut self,
        request: Request<ours::SimpleRequest>,
    ) -> Result<Response<ours::SimpleResponse>, Status> {
        convert_response(
            self.test
                .cacheable_unary_call(convert_request::<_, pb::SimpleRequest>(request)?)
                .await?,
        )
    }

    async fn streaming_output_call(
        &mut self,
        request: Request<ours::StreamingOutputCallRequest>,
    ) -> Result<Response<PeerResponses>, Status> {
        let request = convert_request::<_, pb::StreamingOutputCallRequest>(request)?;
        Ok(our_responses(
            self.test.streaming_output_call(request).await?,
        ))
    }

    async fn streaming_input_call(
        &mut self,
        request: Request<Requests<ours::StreamingInputCallRequest>>,
    ) -> Result<Response<ours::StreamingInputCallResponse>, Status> {
        let request = their_requests::<_, pb::StreamingInputCallRequest>(request);
        convert_response(self.test.streaming_input_call(request).await?)
    }

    async fn full_duplex_call(
        &mut self,
        request: Request<Requests<ours::StreamingOutputCallRequest>>,
    ) -> Result<Response<PeerResponses>, Status> {
        let request = their_requests::<_, pb::StreamingOutputCallRequest>(request);
        Ok(our_responses(self.test.full_duplex_call(request).await?))
    }

    async fn half_duplex_call(
        &mut self,
        request: Request<Requests<ours::StreamingOutputCallRequest>>,
    ) -> Result<Response<PeerResponses>, Status> {
        let request = their_requests::<_, pb::StreamingOutputCallRequest>(request);
        Ok(our_responses(self.test.half_duplex_call(request).await?))
    }

    async fn unimplemented_call(
        &mut self,
        request: Request<ours::Empty>,
    ) -> Result<Response<ours::Empty>, Status> {
        convert_response(
            self.test
                .unimplemented_call(convert_request::<_, pb::Empty>(request)?)
                .await?,
        )
    }

    async fn unimplemented_service_call(
        &mut self,
        request: Request<ours::Empty>,
    ) -> Result<Response<ours::Empty>, Status> {
        convert_response(
            self.unimplemented
                .unimplemented_call(convert_request::<_, pb::Empty>(request)?)
                .await?,
        )
    }
}
