// On an impl, `#[hello::service]` takes no arguments: the trait's attribute names the service.
use hello::prelude::*;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(package = "p")]
pub trait Pinger {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}

struct Server;

#[hello::service(package = "p")]
impl Pinger for Server {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status> {
        Ok(Response::new(request.into_inner()))
    }
}

#[hello::service]
impl Server {}

fn main() {
    let _server = pinger_server::PingerServer::new(Server);
}
