use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(package = "demo")]
pub trait Pinger {
    type PingsStream: Iterator<Item = Ping>;

    async fn pings(&self, request: Request<Ping>) -> Result<Response<Self::PingsStream>, Status>;
}

fn main() {}
