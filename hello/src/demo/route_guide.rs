//! `RouteGuide`: the `Hello` service with the semantics of gRPC's RouteGuide example.

use crate::Reply;
use crate::demo::chat::ChatStream;
use crate::demo::features::{FeatureDb, FeaturesIn};
use crate::demo::geo::{self, Bounds};
use crate::demo::messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
use crate::demo::notes::{NoteLimits, NoteStore};
use crate::demo::route::RouteStats;
use crate::demo::service::Hello;
use crate::prelude::*;
use std::sync::Arc;
use std::time::Instant;

/// The demo service: a feature database to look up and list, routes to sum up, notes to share.
///
/// Cheap to clone: the database and the notes are shared.
#[derive(Debug, Clone)]
pub struct RouteGuide {
    db: Arc<FeatureDb>,
    notes: Arc<NoteStore>,
}

impl Default for RouteGuide {
    /// The embedded database and the default note limits.
    fn default() -> Self {
        RouteGuide::new(FeatureDb::default_db(), NoteLimits::default())
    }
}

impl RouteGuide {
    /// A service answering from `db`, keeping notes within `limits`.
    pub fn new(db: FeatureDb, limits: NoteLimits) -> RouteGuide {
        RouteGuide {
            db: Arc::new(db),
            notes: Arc::new(NoteStore::new(limits)),
        }
    }

    /// The feature database this service answers from.
    pub fn features(&self) -> &FeatureDb {
        &self.db
    }

    /// The notes kept so far.
    pub fn notes(&self) -> &NoteStore {
        &self.notes
    }

    /// ListFeatures' search: the features inside `rect`, found lazily, as values or prepared
    /// ([`FeaturesIn::prepared`]); INVALID_ARGUMENT for a missing or invalid corner.
    pub fn features_in(&self, rect: Rectangle) -> Result<FeaturesIn, Status> {
        let bounds = Bounds::from_corners(&corner(rect.lo, "lo")?, &corner(rect.hi, "hi")?);
        Ok(FeaturesIn::new(self.db.clone(), bounds))
    }
}

fn invalid(what: &str, e: geo::PointError) -> Status {
    Status::invalid_argument(format!("{what}: {e}"))
}

fn corner(p: Option<Point>, which: &str) -> Result<Point, Status> {
    let p =
        p.ok_or_else(|| Status::invalid_argument(format!("rectangle: corner {which} is missing")))?;
    geo::validate(&p).map_err(|e| invalid(&format!("rectangle: corner {which}"), e))?;
    Ok(p)
}

// The attribute lets the signatures be the trait's, copied verbatim.
#[service]
impl Hello for RouteGuide {
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let p = request.into_inner();
        geo::validate(&p).map_err(|e| invalid("point", e))?;
        let feature = match self.db.find(&p) {
            Some(f) => f.clone(),
            // RouteGuide's answer for "nothing known here": an unnamed feature at the point asked.
            None => Feature {
                name: String::new(),
                location: Some(p),
            },
        };
        Ok(Response::new(feature))
    }

    async fn list_features(
        &self,
        request: Request<Rectangle>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Feature>, Status>>>, Status> {
        // Sent as encoded when the database was loaded: no encoding and no copy of the name per message.
        let found = self
            .features_in(request.into_inner())?
            .prepared()
            .map(|feature| Ok(feature.into()));
        // futures_util::stream::iter, not tokio_stream::iter: the latter yields to the scheduler every 32 items,
        // and tonic then flushes a tiny chunk each time (3.3M vs 11.9M msgs/s on 100k-message streams here).
        // The iterator finds features lazily, so they are streamed as found, not collected first.
        Ok(Response::new(futures_util::stream::iter(found)))
    }

    async fn record_route(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        let mut points = request.into_inner();
        let mut stats = RouteStats::default();
        let mut index = 0u64;
        while let Some(p) = points.message().await? {
            geo::validate(&p).map_err(|e| invalid(&format!("point {index}"), e))?;
            stats.push(p, self.db.find(&p).is_some(), Instant::now());
            index += 1;
        }
        Ok(Response::new(stats.summary()))
    }

    async fn route_chat(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl Stream<Item = Result<RouteNote, Status>>>, Status> {
        Ok(Response::new(ChatStream::new(
            request.into_inner(),
            self.notes.clone(),
        )))
    }
}
