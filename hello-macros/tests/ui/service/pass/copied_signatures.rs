//! With `#[hello::service]` on the impl, each method copies the trait's signature verbatim: all four kinds, a
//! method written as `-> impl Future`, a plain impl and a generic one (a type and a const parameter).

use hello::prelude::*;
use std::future::Future;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Note {
    #[prost(string, tag = "1")]
    pub text: String,
}

#[hello::service(package = "notes")]
pub trait Notes {
    async fn get(&self, request: Request<Note>) -> Result<Response<Note>, Status>;

    async fn list(
        &self,
        request: Request<Note>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status>;

    async fn count(&self, request: Request<Streaming<Note>>) -> Result<Response<Note>, Status>;

    async fn chat(
        &self,
        request: Request<Streaming<Note>>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status>;

    fn later(
        &self,
        request: Request<Note>,
    ) -> impl Future<Output = Result<Response<impl Stream<Item = Result<Note, Status>>>, Status>> + Send;
}

/// A note `n` times, the text prefixed: what every impl below answers `list` with.
fn notes(prefix: String, note: Note, n: usize) -> impl Stream<Item = Result<Note, Status>> + Send + use<> {
    let text = format!("{prefix}{}", note.text);
    hello::stream::iter(vec![Ok(Note { text }); n])
}

struct Plain;

#[hello::service]
impl Notes for Plain {
    async fn get(&self, request: Request<Note>) -> Result<Response<Note>, Status> {
        Ok(Response::new(request.into_inner()))
    }

    async fn list(
        &self,
        request: Request<Note>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status> {
        Ok(Response::new(notes(String::new(), request.into_inner(), 1)))
    }

    async fn count(&self, request: Request<Streaming<Note>>) -> Result<Response<Note>, Status> {
        let mut stream = request.into_inner();
        let mut count = 0;
        while stream.message().await?.is_some() {
            count += 1;
        }
        Ok(Response::new(Note { text: count.to_string() }))
    }

    async fn chat(
        &self,
        request: Request<Streaming<Note>>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status> {
        Ok(Response::new(request.into_inner()))
    }

    fn later(
        &self,
        request: Request<Note>,
    ) -> impl Future<Output = Result<Response<impl Stream<Item = Result<Note, Status>>>, Status>> + Send {
        async move { Ok(Response::new(notes(String::new(), request.into_inner(), 2))) }
    }
}

/// Generic over a type and a const: its streams capture them, which the macro lists in `use<T, N>`. `list` writes
/// the bounds itself, as an impl without the attribute must.
struct Prefixed<T, const N: usize>(T);

#[hello::service]
impl<T: std::fmt::Display + Send + Sync + 'static, const N: usize> Notes for Prefixed<T, N> {
    async fn get(&self, request: Request<Note>) -> Result<Response<Note>, Status> {
        let text = format!("{}{}", self.0, request.into_inner().text);
        Ok(Response::new(Note { text }))
    }

    async fn list(
        &self,
        request: Request<Note>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>> + Send + use<T, N>>, Status> {
        // What the stream needs from `self` is moved into it, so it does not borrow `&self`.
        Ok(Response::new(notes(self.0.to_string(), request.into_inner(), N)))
    }

    async fn count(&self, _request: Request<Streaming<Note>>) -> Result<Response<Note>, Status> {
        Err(Status::unimplemented("count"))
    }

    async fn chat(
        &self,
        request: Request<Streaming<Note>>,
    ) -> Result<Response<impl Stream<Item = Result<Note, Status>>>, Status> {
        Ok(Response::new(request.into_inner()))
    }

    fn later(
        &self,
        request: Request<Note>,
    ) -> impl Future<Output = Result<Response<impl Stream<Item = Result<Note, Status>>>, Status>> + Send {
        // The future may borrow `&self`, as the trait's does; the stream it answers with may not.
        async move { Ok(Response::new(notes(self.0.to_string(), request.into_inner(), N))) }
    }
}

async fn texts(stream: impl Stream<Item = Result<Note, Status>>) -> Vec<String> {
    let notes: Vec<Result<Note, Status>> = StreamExt::collect(stream).await;
    notes.into_iter().map(|note| note.unwrap().text).collect()
}

/// The texts `list` and `later` answer `hi` with.
async fn answers(service: &impl Notes) -> (Vec<String>, Vec<String>) {
    let hi = || Request::new(Note { text: "hi".into() });
    let list = texts(service.list(hi()).await.unwrap().into_inner()).await;
    let later = texts(service.later(hi()).await.unwrap().into_inner()).await;
    (list, later)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let _servers = (
        notes_server::NotesServer::new(Plain),
        notes_server::NotesServer::new(Prefixed::<_, 3>("> ")),
    );
    assert_eq!(answers(&Plain).await, (vec!["hi".into()], vec!["hi".into(); 2]));
    let prefixed = vec!["> hi".to_string(); 3];
    assert_eq!(answers(&Prefixed::<_, 3>("> ")).await, (prefixed.clone(), prefixed));
}
