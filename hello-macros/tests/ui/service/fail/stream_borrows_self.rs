// A streamed response outlives the call, so it cannot borrow `&self`. Written as `+ '_` (in the trait or the
// impl), the macro says what to write instead. Left implicit (`browse`), rustc points at the borrow in the user's
// impl; its help (capture `'_`, placed inside the bound the macro added) cannot work either: followed, it gives the
// macro's error above.
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
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>> + '_>, Status>;

    async fn search(
        &self,
        request: Request<Item>,
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>>>, Status>;

    async fn browse(
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
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>> + '_>, Status> {
        Ok(Response::new(hello::stream::iter(self.items.clone().into_iter().map(Ok))))
    }

    async fn search(
        &self,
        _request: Request<Item>,
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>> + use<'_>>, Status> {
        Ok(Response::new(hello::stream::iter(self.items.clone().into_iter().map(Ok))))
    }

    async fn browse(
        &self,
        _request: Request<Item>,
    ) -> Result<Response<impl Stream<Item = Result<Item, Status>>>, Status> {
        Ok(Response::new(hello::stream::iter(self.items.iter().cloned().map(Ok))))
    }
}

fn main() {}
