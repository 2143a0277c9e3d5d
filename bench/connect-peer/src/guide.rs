//! The demo's RouteGuide behind connect-rust's generated `Hello` trait: the same database lookups, route
//! statistics and note store as `hello-server` and `tonic-build-server`, so only the RPC plumbing and the
//! message code differ.

use crate::convert;
use crate::proto::hello as pb;
use connectrpc::{
    ConnectError, InboundStream, RequestContext, Response, ServiceRequest, ServiceResult,
    ServiceStream,
};
use futures_util::StreamExt;
use hello::demo::chat::ChatStream;
use hello::demo::features::{FeatureDb, FeaturesIn};
use hello::demo::geo::{self, Bounds};
use hello::demo::notes::NoteStore;
use hello::demo::route::RouteStats;
use hello::demo::{Feature, Point};
use std::sync::Arc;
use std::time::Instant;

/// The feature database and the note store, shared by all calls.
pub struct ConnectGuide {
    db: Arc<FeatureDb>,
    notes: Arc<NoteStore>,
}

impl ConnectGuide {
    pub fn new(db: FeatureDb, notes: NoteStore) -> ConnectGuide {
        ConnectGuide {
            db: Arc::new(db),
            notes: Arc::new(notes),
        }
    }
}

fn invalid(what: &str, e: geo::PointError) -> ConnectError {
    ConnectError::invalid_argument(format!("{what}: {e}"))
}

fn corner(p: Option<Point>, which: &str) -> Result<Point, ConnectError> {
    let p = p.ok_or_else(|| {
        ConnectError::invalid_argument(format!("rectangle: corner {which} is missing"))
    })?;
    geo::validate(&p).map_err(|e| invalid(&format!("rectangle: corner {which}"), e))?;
    Ok(p)
}

// Concrete types where the trait says `impl Encodable`: the owned messages, as a user writes them.
#[allow(refining_impl_trait)]
impl pb::Hello for ConnectGuide {
    async fn get_feature(
        &self,
        _ctx: RequestContext,
        request: ServiceRequest<'_, pb::Point>,
    ) -> ServiceResult<pb::Feature> {
        let p = convert::point(&request);
        geo::validate(&p).map_err(|e| invalid("point", e))?;
        let feature = match self.db.find(&p) {
            Some(f) => convert::pb_feature(f),
            None => convert::pb_feature_owned(Feature {
                name: String::new(),
                location: Some(p),
            }),
        };
        Response::ok(feature)
    }

    async fn list_features(
        &self,
        _ctx: RequestContext,
        request: ServiceRequest<'_, pb::Rectangle>,
    ) -> ServiceResult<ServiceStream<pb::Feature>> {
        let lo = corner(convert::point_field(&request.lo), "lo")?;
        let hi = corner(convert::point_field(&request.hi), "hi")?;
        let found = FeaturesIn::new(self.db.clone(), Bounds::from_corners(&lo, &hi))
            .map(|f| Ok(convert::pb_feature_owned(f)));
        // As the demo does: futures_util's iter, which never yields to the scheduler mid-stream.
        let stream: ServiceStream<pb::Feature> = Box::pin(futures_util::stream::iter(found));
        Response::ok(stream)
    }

    async fn record_route(
        &self,
        _ctx: RequestContext,
        mut requests: InboundStream<pb::Point>,
    ) -> ServiceResult<pb::RouteSummary> {
        let mut stats = RouteStats::default();
        let mut index = 0u64;
        while let Some(item) = requests.next().await {
            let p = convert::point(item?.view());
            geo::validate(&p).map_err(|e| invalid(&format!("point {index}"), e))?;
            stats.push(p, self.db.find(&p).is_some(), Instant::now());
            index += 1;
        }
        let s = stats.summary();
        Response::ok(pb::RouteSummary {
            point_count: s.point_count,
            feature_count: s.feature_count,
            distance: s.distance,
            elapsed_time: s.elapsed_time,
            ..Default::default()
        })
    }

    async fn route_chat(
        &self,
        _ctx: RequestContext,
        requests: InboundStream<pb::RouteNote>,
    ) -> ServiceResult<ServiceStream<pb::RouteNote>> {
        let inbound = requests.map(|item| {
            item.map(|m| convert::note(m.view()))
                .map_err(convert::status)
        });
        let answers = ChatStream::new(inbound, self.notes.clone())
            .map(|r| r.map(convert::pb_note).map_err(convert::error));
        let stream: ServiceStream<pb::RouteNote> = Box::pin(answers);
        Response::ok(stream)
    }
}
