//! A bare gRPC client on the h2 crate: pre-encoded request bodies out, response messages counted (not
//! decoded), the gRPC status checked. It costs the same whichever server it drives, and far less than a full
//! client stack, so the load generator measures the server.

use crate::wire::FrameCounter;
use bytes::Bytes;
use h2::client::SendRequest;
use http::{HeaderMap, Method, Request, Uri};
use std::fmt;
use std::net::SocketAddr;
use tokio::net::TcpStream;

/// HTTP/2 flow-control windows the client grants, as h2load's default (2^30 - 1): the server is never held
/// back by the client's window.
const WINDOW: u32 = (1 << 30) - 1;

/// Why a call did not end with gRPC OK.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CallError {
    /// Connection or stream failure (reset, closed, refused).
    Transport(String),
    /// A response that was not HTTP 200.
    Http(u16),
    /// A gRPC status other than OK (its code's name).
    Status(String),
    /// OK, but the body was not whole messages or had too few of them.
    Body(String),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Transport(e) => write!(f, "transport: {e}"),
            CallError::Http(s) => write!(f, "HTTP {s}"),
            CallError::Status(s) => write!(f, "grpc-status {s}"),
            CallError::Body(s) => write!(f, "body: {s}"),
        }
    }
}

fn transport(e: h2::Error) -> CallError {
    CallError::Transport(e.to_string())
}

/// One HTTP/2 connection to a server.
#[derive(Clone)]
pub struct Connection {
    send: SendRequest<Bytes>,
}

impl Connection {
    /// Connects with prior knowledge (plaintext HTTP/2) and drives the connection in a spawned task.
    pub async fn open(addr: SocketAddr) -> Result<Connection, String> {
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
        let _ = tcp.set_nodelay(true);
        let (send, conn) = h2::client::Builder::new()
            .initial_window_size(WINDOW)
            .initial_connection_window_size(WINDOW)
            .handshake::<_, Bytes>(tcp)
            .await
            .map_err(|e| format!("HTTP/2 handshake with {addr} failed: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Connection { send })
    }

    /// Makes one call: sends `body` whole and reads the answer; returns the response body if `keep` is set.
    pub async fn call(&self, uri: &Uri, body: &Bytes, keep: bool) -> Result<Answer, CallError> {
        let mut send = self.send.clone().ready().await.map_err(transport)?;
        let mut req = Request::new(());
        *req.method_mut() = Method::POST;
        *req.uri_mut() = uri.clone();
        let h = req.headers_mut();
        h.insert(
            "content-type",
            http::HeaderValue::from_static("application/grpc"),
        );
        h.insert("te", http::HeaderValue::from_static("trailers"));
        let (response, mut stream) = send.send_request(req, false).map_err(transport)?;
        // The whole body at once: h2 sends it as the server's window allows, while the answer is read.
        stream.send_data(body.clone(), true).map_err(transport)?;
        let response = response.await.map_err(transport)?;
        if response.status() != http::StatusCode::OK {
            return Err(CallError::Http(response.status().as_u16()));
        }
        let (head, mut recv) = response.into_parts();
        // A trailers-only response (an error before any message) has its status in the headers.
        if let Some(status) = grpc_status(&head.headers) {
            status?;
        }
        let mut counter = FrameCounter::default();
        let mut kept = Vec::new();
        while let Some(chunk) = recv.data().await {
            let chunk = chunk.map_err(transport)?;
            let _ = recv.flow_control().release_capacity(chunk.len());
            counter.feed(&chunk);
            if keep {
                kept.extend_from_slice(&chunk);
            }
        }
        let trailers = recv.trailers().await.map_err(transport)?;
        match trailers.as_ref().and_then(grpc_status) {
            Some(status) => status?,
            None if grpc_status(&head.headers).is_some() => {}
            None => return Err(CallError::Status("missing".to_owned())),
        }
        if !counter.complete() {
            return Err(CallError::Body("ends inside a message".to_owned()));
        }
        Ok(Answer {
            messages: counter.messages,
            body: kept,
        })
    }
}

/// A successful call's response.
#[derive(Debug)]
pub struct Answer {
    /// Response messages received.
    pub messages: u64,
    /// The response body, when asked for.
    pub body: Vec<u8>,
}

/// The gRPC status in a header map: `None` if absent, `Some(Ok)` for OK.
fn grpc_status(h: &HeaderMap) -> Option<Result<(), CallError>> {
    let v = h.get("grpc-status")?;
    if v.as_bytes() == b"0" {
        return Some(Ok(()));
    }
    let code = tonic::Code::from_bytes(v.as_bytes());
    Some(Err(CallError::Status(format!("{code:?}"))))
}

/// `http://addr/path` for a call.
pub fn uri(addr: SocketAddr, path: &str) -> Result<Uri, String> {
    format!("http://{addr}{path}")
        .parse()
        .map_err(|e| format!("bad URI for {addr}{path}: {e}"))
}
