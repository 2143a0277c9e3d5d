use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

#[hello::service(package = "demo")]
pub trait Pinger {
    fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
}
fn main() {}
