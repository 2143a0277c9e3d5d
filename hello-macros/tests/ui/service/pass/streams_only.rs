use std::future::Future;
use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Tick {
    #[prost(uint32, tag = "1")]
    pub n: u32,
}

/// Streams every way, one method written without `async` but returning a future.
#[hello::service(package = "clock", name = "Clock")]
pub trait Ticker {
    async fn ticks(
        &self,
        request: Request<Tick>,
    ) -> Result<Response<impl Stream<Item = Result<Tick, Status>>>, Status>;

    fn count(
        &self,
        request: Request<Streaming<Tick>>,
    ) -> impl Future<Output = Result<Response<Tick>, Status>> + Send;

    async fn echo(
        &self,
        request: Request<Streaming<Tick>>,
    ) -> Result<Response<impl Stream<Item = Result<Tick, Status>> + Send>, Status>;
}

struct Server;

impl Ticker for Server {
    async fn ticks(
        &self,
        request: Request<Tick>,
    ) -> Result<Response<impl Stream<Item = Result<Tick, Status>> + Send + use<>>, Status> {
        let n = request.into_inner().n;
        Ok(Response::new(tokio_stream::iter((0..n).map(|n| Ok(Tick { n })))))
    }

    async fn count(&self, request: Request<Streaming<Tick>>) -> Result<Response<Tick>, Status> {
        let mut ticks = request.into_inner();
        let mut n = 0;
        while ticks.message().await?.is_some() {
            n += 1;
        }
        Ok(Response::new(Tick { n }))
    }

    async fn echo(
        &self,
        request: Request<Streaming<Tick>>,
    ) -> Result<Response<impl Stream<Item = Result<Tick, Status>> + Send + use<>>, Status> {
        Ok(Response::new(request.into_inner()))
    }
}

fn main() {
    let _server = ticker_server::TickerServer::new(Server);
    let kinds: Vec<_> = TICKER_SERVICE.methods.iter().map(|m| m.kind).collect();
    use hello::MethodKind::*;
    assert_eq!(kinds, [ServerStreaming, ClientStreaming, Bidirectional]);
    assert_eq!(ticker_server::SERVICE_NAME, "clock.Clock");
}
