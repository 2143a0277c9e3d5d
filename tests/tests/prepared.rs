//! Prepared messages (`hello::Prepared`, `hello::Reply`) over raw HTTP/2: the framed response of a call answered
//! with prepared messages is byte for byte the one of the same call answered with ordinary messages, plain and
//! gzip-compressed, in unary, server-streaming and bidirectional calls, prepared and ordinary mixed in one stream;
//! the encoding limit applies to them; the generated client and the schema see the plain message.

use hello::prelude::*;
use hello::{Prepared, Reply};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shelf.v1")]
pub struct Ask {
    /// Which item (unary) or how many (streams).
    #[prost(uint32, tag = "1")]
    pub n: u32,
    /// Answer with prepared messages (every other one, in streams) rather than ordinary ones.
    #[prost(bool, tag = "2")]
    pub prepared: bool,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shelf.v1")]
pub struct Item {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(uint32, tag = "2")]
    pub n: u32,
    #[prost(bytes = "vec", tag = "3")]
    pub blob: Vec<u8>,
}

#[hello::service(package = "shelf.v1")]
pub trait Shelf {
    async fn get(&self, request: Request<Ask>) -> Result<Response<Reply<Item>>, Status>;

    async fn get_prepared(&self, request: Request<Ask>)
    -> Result<Response<Prepared<Item>>, Status>;

    async fn list(
        &self,
        request: Request<Ask>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Item>, Status>>>, Status>;

    async fn chat(
        &self,
        request: Request<Streaming<Ask>>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Item>, Status>>>, Status>;
}

/// Items as values and the same items prepared once.
struct Items {
    plain: Vec<Item>,
    prepared: Vec<Prepared<Item>>,
}

#[derive(Clone)]
struct Store(Arc<Items>);

const ITEMS: u32 = 8;

impl Store {
    fn new() -> Store {
        let plain: Vec<Item> = (0..ITEMS)
            .map(|n| Item {
                name: format!("item {n}: {}", "ab".repeat(n as usize * 40)),
                n,
                // Compressible: gzip has something to do.
                blob: vec![n as u8; 300],
            })
            .collect();
        let prepared = plain.iter().map(Prepared::new).collect();
        Store(Arc::new(Items { plain, prepared }))
    }

    /// Item `n`, prepared or not; in a stream, `mixed` alternates.
    fn reply(&self, n: u32, prepared: bool) -> Result<Reply<Item>, Status> {
        let i = n as usize % ITEMS as usize;
        Ok(if prepared {
            self.0.prepared[i].clone().into()
        } else {
            self.0.plain[i].clone().into()
        })
    }
}

#[hello::service]
impl Shelf for Store {
    async fn get(&self, request: Request<Ask>) -> Result<Response<Reply<Item>>, Status> {
        let ask = request.into_inner();
        self.reply(ask.n, ask.prepared).map(Response::new)
    }

    async fn get_prepared(
        &self,
        request: Request<Ask>,
    ) -> Result<Response<Prepared<Item>>, Status> {
        let ask = request.into_inner();
        let item = &self.0.plain[ask.n as usize % ITEMS as usize];
        // The ordinary path made by hand: the message encoded for this call only.
        Ok(Response::new(if ask.prepared {
            self.0.prepared[ask.n as usize % ITEMS as usize].clone()
        } else {
            Prepared::new(item)
        }))
    }

    async fn list(
        &self,
        request: Request<Ask>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Item>, Status>>>, Status> {
        let ask = request.into_inner();
        let store = self.clone();
        // Prepared and ordinary mixed: every other message prepared.
        let replies = (0..ask.n).map(move |n| store.reply(n, ask.prepared && n % 2 == 0));
        Ok(Response::new(hello::stream::iter(replies)))
    }

    async fn chat(
        &self,
        request: Request<Streaming<Ask>>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Item>, Status>>>, Status> {
        let store = self.clone();
        let replies = request.into_inner().map(move |ask| {
            let ask = ask?;
            store.reply(ask.n, ask.prepared)
        });
        Ok(Response::new(replies))
    }
}

async fn serve(server: shelf_server::ShelfServer<Store>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(
        hello::transport::Server::builder()
            .add_service(server)
            .serve_with_incoming(hello::transport::TcpIncoming::from(listener)),
    );
    addr
}

/// A whole response as it came: its DATA bytes (gRPC-framed messages) and its `grpc-status`.
#[derive(Debug, PartialEq)]
struct Wire {
    data: Vec<u8>,
    status: String,
}

/// Calls `path` on raw HTTP/2 with `asks` (gzip accepted when `gzip`) and reads the whole response.
async fn raw_call(addr: SocketAddr, path: &str, asks: &[Ask], gzip: bool) -> Wire {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(connection);
    let mut request = http::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers");
    if gzip {
        request = request.header("grpc-accept-encoding", "gzip");
    }
    let (response, mut send) = client
        .send_request(request.body(()).unwrap(), false)
        .unwrap();
    let mut body = Vec::new();
    for ask in asks {
        let m = prost::Message::encode_to_vec(ask);
        body.push(0u8);
        body.extend_from_slice(&(m.len() as u32).to_be_bytes());
        body.extend_from_slice(&m);
    }
    send.send_data(body.into(), true).unwrap();
    let response = tokio::time::timeout(Duration::from_secs(30), response)
        .await
        .expect("an answer")
        .unwrap();
    let (parts, mut body) = response.into_parts();
    assert_eq!(parts.status, 200);
    let mut data = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        let _ = body.flow_control().release_capacity(chunk.len());
        data.extend_from_slice(&chunk);
    }
    // A trailers-only answer carries its status in the headers.
    let trailers = body.trailers().await.unwrap().unwrap_or(parts.headers);
    let status = trailers
        .get("grpc-status")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    Wire { data, status }
}

/// The gRPC frames of `data`: (compressed flag, payload).
fn frames(mut data: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let len = u32::from_be_bytes(data[1..5].try_into().unwrap()) as usize;
        out.push((data[0], data[5..5 + len].to_vec()));
        data = &data[5 + len..];
    }
    out
}

fn ask(n: u32, prepared: bool) -> Ask {
    Ask { n, prepared }
}

/// The same call answered ordinarily and with prepared messages: equal bytes, `messages` frames of it.
async fn same_bytes(
    addr: SocketAddr,
    path: &str,
    asks: &[u32],
    gzip: bool,
    messages: usize,
) -> Wire {
    let ordinary: Vec<Ask> = asks.iter().map(|&n| ask(n, false)).collect();
    let prepared: Vec<Ask> = asks.iter().map(|&n| ask(n, true)).collect();
    let plain = raw_call(addr, path, &ordinary, gzip).await;
    let with_prepared = raw_call(addr, path, &prepared, gzip).await;
    assert_eq!(plain.status, "0", "{path}");
    assert_eq!(frames(&plain.data).len(), messages, "{path}");
    assert_eq!(with_prepared, plain, "{path} (gzip {gzip})");
    plain
}

#[tokio::test]
async fn prepared_messages_are_the_ordinary_bytes_on_the_wire_plain_and_gzip() {
    let store = Store::new();
    let plain_server = serve(shelf_server::ShelfServer::new(store.clone())).await;
    let gzip_server = serve(
        shelf_server::ShelfServer::new(store.clone())
            .send_compressed(tonic::codec::CompressionEncoding::Gzip),
    )
    .await;
    for (addr, gzip) in [(plain_server, false), (gzip_server, true)] {
        let unary = same_bytes(addr, "/shelf.v1.Shelf/Get", &[5], gzip, 1).await;
        same_bytes(addr, "/shelf.v1.Shelf/GetPrepared", &[6], gzip, 1).await;
        let list = same_bytes(addr, "/shelf.v1.Shelf/List", &[20], gzip, 20).await;
        same_bytes(addr, "/shelf.v1.Shelf/Chat", &[1, 2, 3, 7], gzip, 4).await;

        // The frames are what they should be: compressed under gzip, each the item itself.
        let expected_flag = u8::from(gzip);
        for (i, (flag, payload)) in frames(&list.data).into_iter().enumerate() {
            assert_eq!(flag, expected_flag, "frame {i}");
            let bytes = if gzip { gunzip(&payload) } else { payload };
            let item: Item = prost::Message::decode(&bytes[..]).unwrap();
            assert_eq!(item, store.0.plain[i % ITEMS as usize]);
        }
        let (_, payload) = frames(&unary.data).remove(0);
        let bytes = if gzip { gunzip(&payload) } else { payload };
        assert_eq!(bytes, prost::Message::encode_to_vec(&store.0.plain[5]));
    }
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn the_encoding_limit_applies_to_prepared_messages() {
    let store = Store::new();
    // Item 7 encodes to more than 400 bytes; item 0 to less.
    let small = prost::Message::encoded_len(&store.0.plain[0]);
    let big = prost::Message::encoded_len(&store.0.plain[7]);
    assert!(small < 400 && big > 400, "{small} {big}");
    let addr = serve(shelf_server::ShelfServer::new(store).max_encoding_message_size(400)).await;
    let mut chats = Vec::new();
    for prepared in [false, true] {
        for path in ["/shelf.v1.Shelf/Get", "/shelf.v1.Shelf/GetPrepared"] {
            let over = raw_call(addr, path, &[ask(7, prepared)], false).await;
            assert_eq!(
                over.status, "8",
                "{path} prepared {prepared}: RESOURCE_EXHAUSTED"
            );
            let under = raw_call(addr, path, &[ask(0, prepared)], false).await;
            assert_eq!(under.status, "0", "{path} prepared {prepared}");
        }
        let chat = raw_call(
            addr,
            "/shelf.v1.Shelf/Chat",
            &[ask(0, prepared), ask(7, prepared)],
            false,
        )
        .await;
        assert_eq!(chat.status, "8", "chat prepared {prepared}");
        chats.push(chat);
    }
    // Whatever tonic sends of a batch that ends in the error, it sends the same for both.
    assert_eq!(chats[0], chats[1]);
}

#[tokio::test]
async fn the_client_and_the_schema_see_the_plain_message() {
    let store = Store::new();
    let addr = serve(shelf_server::ShelfServer::new(store.clone())).await;
    let mut client = shelf_client::ShelfClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    // The client's types are `Item`: a prepared answer decodes as the message.
    let item: Item = client.get(ask(3, true)).await.unwrap().into_inner();
    assert_eq!(item, store.0.plain[3]);
    let item: Item = client
        .get_prepared(ask(4, true))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(item, store.0.plain[4]);
    let items: Vec<Item> = client
        .list(ask(5, true))
        .await
        .unwrap()
        .into_inner()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, store.0.plain[..5]);

    for method in SHELF_SERVICE.methods {
        assert_eq!(method.output_type, "Item", "{}", method.name);
    }
    let files = SHELF_SERVICE.file_descriptor_set().unwrap();
    let text = format!("{files:?}");
    assert_eq!(
        text.matches("output_type: Some(\".shelf.v1.Item\")")
            .count(),
        4,
        "{text}"
    );
    assert!(!text.contains("Reply"), "{text}");
}
