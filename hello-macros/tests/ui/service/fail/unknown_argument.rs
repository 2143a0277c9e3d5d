use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(pakage = "demo")]
pub trait Pinger {
    async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}
fn main() {}
