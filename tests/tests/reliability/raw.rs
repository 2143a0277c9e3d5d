//! A raw HTTP/2 client (the `h2` crate, no gRPC library) that sends exactly the bytes a test asks for, and reads
//! back what the server answered: HTTP status, headers, the body's bytes and the trailers.

#![allow(dead_code)] // each test file uses a part

use bytes::{BufMut, Bytes, BytesMut};
use h2::client::SendRequest;
use http::{HeaderMap, Request, StatusCode};
use prost::Message;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tonic::Code;

/// Every wait of these tests is bounded by this hang guard (not a timing assertion).
pub const HANG_GUARD: Duration = Duration::from_secs(30);

pub async fn guard<T>(what: &str, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(HANG_GUARD, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no answer within {HANG_GUARD:?}"),
    }
}

/// One HTTP/2 connection; its driver runs on a task of the test's runtime.
pub struct Conn {
    pub send: SendRequest<Bytes>,
    pub driver: tokio::task::JoinHandle<Result<(), h2::Error>>,
}

pub async fn connect(addr: SocketAddr) -> Conn {
    let tcp = guard("connect", TcpStream::connect(addr))
        .await
        .expect("connect to the server");
    tcp.set_nodelay(true).ok();
    let (send, connection) = guard("HTTP/2 handshake", h2::client::handshake(tcp))
        .await
        .expect("HTTP/2 handshake");
    let driver = tokio::spawn(connection);
    Conn { send, driver }
}

/// A gRPC request's headers for `path`, as a well-behaved client sends them.
pub fn grpc_request(path: &str) -> http::request::Builder {
    Request::builder()
        .method("POST")
        .uri(format!("http://127.0.0.1{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
}

/// A gRPC message frame: flag byte, big-endian length, bytes.
pub fn frame(compressed: bool, message: &[u8]) -> Bytes {
    let mut b = BytesMut::with_capacity(5 + message.len());
    b.put_u8(u8::from(compressed));
    b.put_u32(message.len() as u32);
    b.put_slice(message);
    b.freeze()
}

/// A prost message, framed.
pub fn framed(message: &impl Message) -> Bytes {
    frame(false, &message.encode_to_vec())
}

/// What the server answered on one stream.
#[derive(Debug)]
pub struct Answer {
    pub http: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub trailers: Option<HeaderMap>,
}

impl Answer {
    /// `grpc-status` from the trailers, or from the headers of a trailers-only answer.
    pub fn code(&self) -> Option<Code> {
        let v = self
            .trailers
            .as_ref()
            .and_then(|t| t.get("grpc-status"))
            .or_else(|| self.headers.get("grpc-status"))?;
        Some(Code::from_bytes(v.as_bytes()))
    }

    /// `grpc-message`, percent-decoded; empty if none.
    pub fn message(&self) -> String {
        let v = self
            .trailers
            .as_ref()
            .and_then(|t| t.get("grpc-message"))
            .or_else(|| self.headers.get("grpc-message"));
        v.map(|v| percent_decode(v.as_bytes())).unwrap_or_default()
    }

    /// The response messages (unframed).
    pub fn messages(&self) -> Vec<Bytes> {
        let mut out = Vec::new();
        let mut rest = &self.body[..];
        while rest.len() >= 5 {
            let len = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
            if rest.len() < 5 + len {
                break;
            }
            out.push(Bytes::copy_from_slice(&rest[5..5 + len]));
            rest = &rest[5 + len..];
        }
        out
    }

    /// Asserts the answer is the gRPC status `code` with a message, and returns the message.
    pub fn expect(&self, code: Code) -> String {
        assert_eq!(self.code(), Some(code), "{self:?}");
        let message = self.message();
        assert!(!message.is_empty(), "a status without a message: {self:?}");
        message
    }
}

fn percent_decode(v: &[u8]) -> String {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if v[i] == b'%'
            && i + 2 < v.len()
            && let (Some(h), Some(l)) = (hex(v[i + 1]), hex(v[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(v[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Sends `request`, then each chunk of `body` as its own DATA frame (the last one ending the stream when `end`),
/// and reads the whole answer.
pub async fn call(conn: &mut Conn, request: Request<()>, body: Vec<Bytes>, end: bool) -> Answer {
    let (response, mut stream) = start(conn, request, body.is_empty() && end).await;
    let n = body.len();
    for (i, chunk) in body.into_iter().enumerate() {
        stream
            .send_data(chunk, end && i + 1 == n)
            .expect("send a DATA frame");
        // Let the connection write it out, so each chunk is a frame of its own.
        tokio::task::yield_now().await;
    }
    let answer = read(response).await;
    drop(stream);
    answer
}

/// Opens a stream: its headers sent, its body still open unless `end`.
pub async fn start(
    conn: &mut Conn,
    request: Request<()>,
    end: bool,
) -> (h2::client::ResponseFuture, h2::SendStream<Bytes>) {
    guard("a stream slot", conn.send.clone().ready())
        .await
        .expect("the connection accepts a new stream");
    conn.send
        .send_request(request, end)
        .expect("send the request headers")
}

/// Reads a response to its end: headers, body, trailers.
pub async fn read(response: h2::client::ResponseFuture) -> Answer {
    let response = guard("response headers", response)
        .await
        .expect("response headers");
    let (parts, mut body) = response.into_parts();
    let mut bytes = Vec::new();
    while let Some(chunk) = guard("response body", body.data()).await {
        let chunk = chunk.expect("a DATA frame");
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    let trailers = guard("trailers", body.trailers()).await.expect("trailers");
    Answer {
        http: parts.status,
        headers: parts.headers,
        body: bytes,
        trailers,
    }
}
