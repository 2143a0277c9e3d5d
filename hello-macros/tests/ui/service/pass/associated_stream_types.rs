use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Tick {
    #[prost(uint32, tag = "1")]
    pub n: u32,
}

/// Streams named by associated types, as tonic-build's traits name them.
#[hello::service(package = "clock")]
pub trait Clock {
    type TicksStream: Stream<Item = Result<Tick, Status>>;
    type EchoStream: Stream<Item = Result<Tick, Status>> + Send;

    async fn ticks(&self, request: Request<Tick>) -> Result<Response<Self::TicksStream>, Status>;
    async fn echo(
        &self,
        request: Request<Streaming<Tick>>,
    ) -> Result<Response<Self::EchoStream>, Status>;
}

struct Server;

impl Clock for Server {
    type TicksStream = tokio_stream::Iter<std::vec::IntoIter<Result<Tick, Status>>>;
    type EchoStream = Streaming<Tick>;

    async fn ticks(&self, request: Request<Tick>) -> Result<Response<Self::TicksStream>, Status> {
        let n = request.into_inner().n;
        let ticks: Vec<_> = (0..n).map(|n| Ok(Tick { n })).collect();
        Ok(Response::new(tokio_stream::iter(ticks)))
    }

    async fn echo(
        &self,
        request: Request<Streaming<Tick>>,
    ) -> Result<Response<Self::EchoStream>, Status> {
        Ok(Response::new(request.into_inner()))
    }
}

fn main() {
    let _server = clock_server::ClockServer::new(Server);
    use hello::MethodKind::*;
    let kinds: Vec<_> = CLOCK_SERVICE.methods.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [ServerStreaming, Bidirectional]);
    assert_eq!(CLOCK_SERVICE.methods[0].output_type, "Tick");
}
