// An impl that copies a streamed response's signature from the trait without `#[hello::service]` on it: rustc
// refuses the capture of `&self`'s lifetime, and points at the user's trait and impl (not into the macro).
use hello::prelude::*;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Note {}

#[hello::service(package = "notes")]
pub trait Notes {
    async fn list(
        &self,
        request: Request<Note>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status>;
}

struct Plain;

impl Notes for Plain {
    async fn list(
        &self,
        request: Request<Note>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status> {
        Ok(Response::new(hello::stream::once(Ok(request.into_inner()))))
    }
}

fn main() {}
