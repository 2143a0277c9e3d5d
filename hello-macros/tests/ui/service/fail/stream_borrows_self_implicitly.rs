// A streamed response that borrows `&self` without saying so: rustc points at the borrow in the user's impl. Its
// help (capture `'_`, placed inside the bound the macro added) cannot work either: followed, it gives the macro's
// own error, which says what to write (stream_borrows_self.rs).
use hello::prelude::*;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Item {
    #[prost(string, tag = "1")]
    pub name: String,
}

#[hello::service(package = "shop")]
pub trait Shop {
    async fn list(
        &self,
        request: Request<Item>,
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>>>, Status>;
}

struct Shelf {
    items: Vec<Item>,
}

#[hello::service]
impl Shop for Shelf {
    async fn list(
        &self,
        _request: Request<Item>,
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>>>, Status> {
        Ok(Response::new(hello::stream::iter(self.items.iter().cloned().map(Ok))))
    }
}

fn main() {}
