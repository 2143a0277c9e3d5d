use tonic::{Request, Response, Status};

#[derive(Clone, PartialEq, prost::Message)]
pub struct Ping {}

use tokio_stream::Stream;

#[hello::service(package = "demo")]
pub trait Pinger {
    async fn pings(&self, request: Request<Ping>) -> Result<Response<impl Stream<Item = Ping>>, Status>;
}
fn main() {}
