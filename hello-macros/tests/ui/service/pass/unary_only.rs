use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {
    #[prost(uint64, tag = "1")]
    pub id: u64,
}

/// A service of unary methods only, one of them renamed.
#[hello::service(package = "demo.v1")]
pub trait Pinger {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;

    #[rpc(name = "PING2")]
    async fn ping_twice(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}

struct Server;

impl Pinger for Server {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> {
        Ok(Response::new(request.into_inner()))
    }

    async fn ping_twice(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> {
        let id = request.into_inner().id * 2;
        Ok(Response::new(Ping { id }))
    }
}

fn main() {
    let _server = pinger_server::PingerServer::new(Server);
    assert_eq!(pinger_server::SERVICE_NAME, "demo.v1.Pinger");
    assert_eq!(PINGER_SERVICE.methods[1].path, "/demo.v1.Pinger/PING2");
}
