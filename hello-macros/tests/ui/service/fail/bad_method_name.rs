use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(package = "demo")]
pub trait Pinger {
    #[rpc(name = "Ping Pong")]
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}
fn main() {}
