//! `probe.Probe`: a service of all four kinds, defined with the macro, whose handlers can be told to hold the call
//! open forever (or to flood), and which counts its live handlers, for the reliability tests: deadlines,
//! cancellation, leaks, crashed clients, many open streams.
//!
//! The mode is in the request: a `Point`'s latitude (or the first message's, or a note's location's):
//! [`ANSWER`] answers at once, [`HOLD`] never finishes by itself, [`FLOOD`] (server stream) sends without end.

use futures_util::{Stream, StreamExt, stream};
use hello::demo::{Feature, Point, RouteNote, RouteSummary};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use tonic::{Request, Response, Status, Streaming};

pub const ANSWER: f32 = 0.0;
pub const HOLD: f32 = 1.0;
pub const FLOOD: f32 = 2.0;

/// `service Probe` (package `probe`): one method of each kind.
#[hello::service(package = "probe")]
pub trait Probe {
    /// Unary: a feature at the point, or never (HOLD).
    async fn unary(&self, request: Request<Point>) -> Result<Response<Feature>, Status>;

    /// Server streaming: three features (ANSWER), one and then nothing (HOLD), or features without end (FLOOD).
    async fn server_stream(
        &self,
        request: Request<Point>,
    ) -> Result<Response<impl Stream<Item = Result<Feature, Status>>>, Status>;

    /// Client streaming: the number of points read, once the stream ends; never, if the first one said HOLD.
    async fn client_stream(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status>;

    /// Bidirectional: each note echoed; ends with the requests, unless a note said HOLD.
    async fn bidi(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl Stream<Item = Result<RouteNote, Status>>>, Status>;
}

/// The probe's state: how many handlers (or response streams) are alive, and how many were ever started.
#[derive(Debug, Clone, Default)]
pub struct ProbeService {
    live: Arc<AtomicUsize>,
    started: Arc<AtomicUsize>,
}

impl ProbeService {
    /// Handlers and response streams not yet dropped.
    pub fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    /// Calls that reached a handler, ever.
    pub fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    fn enter(&self) -> Live {
        self.started.fetch_add(1, Ordering::SeqCst);
        self.live.fetch_add(1, Ordering::SeqCst);
        Live(self.live.clone())
    }
}

/// One live handler; counted down when dropped, however the call ended.
#[derive(Debug)]
pub struct Live(Arc<AtomicUsize>);

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response stream that keeps its call's [`Live`] until it is dropped.
pub struct Guarded<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>,
    _live: Live,
}

impl<T> Stream for Guarded<T> {
    type Item = Result<T, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

fn feature(i: usize, at: Point) -> Feature {
    Feature {
        name: format!("probe {i}"),
        location: Some(at),
    }
}

impl Probe for ProbeService {
    async fn unary(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let _live = self.enter();
        let p = request.into_inner();
        if p.latitude == HOLD {
            std::future::pending::<()>().await;
        }
        Ok(Response::new(feature(0, p)))
    }

    async fn server_stream(
        &self,
        request: Request<Point>,
    ) -> Result<Response<impl Stream<Item = Result<Feature, Status>> + Send + use<>>, Status> {
        let live = self.enter();
        let p = request.into_inner();
        let inner: Pin<Box<dyn Stream<Item = Result<Feature, Status>> + Send>> =
            if p.latitude == FLOOD {
                Box::pin(stream::iter((0..).map(move |i| Ok(feature(i, p)))))
            } else if p.latitude == HOLD {
                Box::pin(stream::iter([Ok(feature(0, p))]).chain(stream::pending()))
            } else {
                Box::pin(stream::iter((0..3).map(move |i| Ok(feature(i, p)))))
            };
        Ok(Response::new(Guarded { inner, _live: live }))
    }

    async fn client_stream(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        let _live = self.enter();
        let mut points = request.into_inner();
        let mut count = 0;
        let mut hold = false;
        while let Some(p) = points.message().await? {
            hold |= count == 0 && p.latitude == HOLD;
            count += 1;
        }
        if hold {
            std::future::pending::<()>().await;
        }
        Ok(Response::new(RouteSummary {
            point_count: count,
            ..Default::default()
        }))
    }

    async fn bidi(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl Stream<Item = Result<RouteNote, Status>> + Send + use<>>, Status>
    {
        let live = self.enter();
        let notes = request.into_inner();
        // Echo each note; a note at latitude HOLD keeps the call open after the requests end.
        let inner = stream::unfold((notes, false), |(mut notes, hold)| async move {
            match notes.next().await {
                Some(Ok(note)) => {
                    let hold = hold || note.location.is_some_and(|l| l.latitude == HOLD);
                    Some((Ok(note), (notes, hold)))
                }
                Some(Err(status)) => Some((Err(status), (notes, hold))),
                None if hold => {
                    std::future::pending::<()>().await;
                    None
                }
                None => None,
            }
        });
        Ok(Response::new(Guarded {
            inner: Box::pin(inner),
            _live: live,
        }))
    }
}
