//! The ceiling: a bare hyper HTTP/2 server that answers each `hello.Hello` call with canned gRPC bytes made once
//! at start-up. No tonic, no protobuf work per call: the throughput the transport allows on this machine.
//!
//! GetFeature, ListFeatures and RecordRoute read the whole request, then send their canned answer (the bytes
//! our server sends for the same request); RouteChat echoes each request chunk back as it comes.

use crate::wire;
use crate::workload;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use tokio::net::TcpListener;

/// The answers, encoded once.
#[derive(Debug, Clone)]
pub struct Canned {
    unary: Bytes,
    list: Bytes,
    record: Bytes,
}

impl Canned {
    /// Answers for the benchmark's requests, ListFeatures returning `list_n` features.
    pub fn new(list_n: usize) -> Canned {
        let db = hello::demo::features::FeatureDb::default_db();
        let unary =
            db.find(&workload::UNARY_POINT)
                .cloned()
                .unwrap_or_else(|| hello::demo::Feature {
                    name: String::new(),
                    location: Some(workload::UNARY_POINT),
                });
        let summary = hello::demo::RouteSummary {
            point_count: 100,
            feature_count: 1,
            distance: 10_000,
            elapsed_time: 0,
        };
        Canned {
            unary: wire::frame(&unary),
            list: wire::frames(&workload::features(list_n)),
            record: wire::frame(&summary),
        }
    }
}

/// Serves HTTP/2 (prior knowledge) on `listener` forever.
pub async fn serve(listener: TcpListener, canned: Arc<Canned>) -> std::io::Result<()> {
    loop {
        let (tcp, _) = listener.accept().await?;
        let _ = tcp.set_nodelay(true);
        let canned = canned.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(req, canned.clone()));
            let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                .max_concurrent_streams(1024)
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}

async fn drain(mut body: Incoming) {
    while let Some(Ok(_)) = body.frame().await {}
}

async fn answer(
    req: Request<Incoming>,
    canned: Arc<Canned>,
) -> Result<Response<Reply>, Infallible> {
    let canned_data = match req.uri().path() {
        "/hello.Hello/GetFeature" => Some(canned.unary.clone()),
        "/hello.Hello/ListFeatures" => Some(canned.list.clone()),
        "/hello.Hello/RecordRoute" => Some(canned.record.clone()),
        _ => None,
    };
    let is_chat = req.uri().path() == "/hello.Hello/RouteChat";
    let reply = match canned_data {
        Some(data) => {
            drain(req.into_body()).await;
            Reply::Canned {
                data: Some(data),
                trailers: Some(status(0)),
            }
        }
        None if is_chat => Reply::Echo {
            inbound: req.into_body(),
            trailers: Some(status(0)),
        },
        None => {
            drain(req.into_body()).await;
            Reply::Canned {
                data: None,
                trailers: Some(status(12)), // UNIMPLEMENTED
            }
        }
    };
    let mut response = Response::new(reply);
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/grpc"));
    Ok(response)
}

fn status(code: u8) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("grpc-status", HeaderValue::from(u16::from(code)));
    h
}

/// A response body: canned bytes, or the request's own chunks; then the gRPC status trailers.
pub enum Reply {
    Canned {
        data: Option<Bytes>,
        trailers: Option<HeaderMap>,
    },
    Echo {
        inbound: Incoming,
        trailers: Option<HeaderMap>,
    },
}

impl Body for Reply {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.get_mut() {
            Reply::Canned { data, trailers } => Poll::Ready(match data.take() {
                Some(d) => Some(Ok(Frame::data(d))),
                None => trailers.take().map(|t| Ok(Frame::trailers(t))),
            }),
            Reply::Echo { inbound, trailers } => loop {
                if trailers.is_none() {
                    return Poll::Ready(None);
                }
                match ready!(Pin::new(&mut *inbound).poll_frame(cx)) {
                    Some(Ok(frame)) => match frame.into_data() {
                        Ok(d) => return Poll::Ready(Some(Ok(Frame::data(d)))),
                        Err(_) => continue, // request trailers: none expected, ignored
                    },
                    Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                    None => return Poll::Ready(trailers.take().map(|t| Ok(Frame::trailers(t)))),
                }
            },
        }
    }
}
