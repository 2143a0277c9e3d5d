use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(package = "demo")]
pub trait Pinger {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}

#[hello::service(package = "demo")]
pub trait Ponger {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}

struct Both;

impl Pinger for Both {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> {
        Ok(Response::new(request.into_inner()))
    }
}

impl Ponger for Both {
    async fn ping(&self, _: Request<Ping>) -> Result<Response<Ping>, Status> {
        Err(Status::unimplemented("pong"))
    }
}

fn main() {
    let _router = tonic::transport::Server::builder()
        .add_service(pinger_server::PingerServer::new(Both))
        .add_service(ponger_server::PongerServer::new(Both));
    let _clients = (
        pinger_client::PingerClient::<tonic::transport::Channel>::connect("http://[::1]:1"),
        ponger_client::PongerClient::<tonic::transport::Channel>::connect("http://[::1]:1"),
    );
    assert_eq!(PONGER_SERVICE.methods[0].path, "/demo.Ponger/Ping");
}
