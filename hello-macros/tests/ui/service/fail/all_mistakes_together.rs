use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(package = "demo")]
pub trait Pinger {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
    async fn bad_receiver(self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
    async fn bad_request(&self, request: Ping) -> Result<Response<Ping>, Status>;
    fn not_async(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}

struct Server;

impl Pinger for Server {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> {
        Ok(Response::new(request.into_inner()))
    }
    async fn bad_receiver(self, _: Request<Ping>) -> Result<Response<Ping>, Status> {
        Err(Status::unimplemented(""))
    }
    async fn bad_request(&self, request: Ping) -> Result<Response<Ping>, Status> {
        Ok(Response::new(request))
    }
    fn not_async(&self, _: Request<Ping>) -> Result<Response<Ping>, Status> {
        Err(Status::unimplemented(""))
    }
}

fn _serve() -> pinger_server::PingerServer<Server> {
    pinger_server::PingerServer::new(Server)
}
fn main() {}
