//! The `hello.Hello` service: the trait is the service, the macro makes its server and client.

use crate::Reply;
use crate::demo::messages::{Feature, Point, Rectangle, RouteNote, RouteSummary};
use crate::prelude::*;

/// `service Hello` of `proto/hello.proto`.
#[service(package = "hello")]
pub trait Hello {
    /// The feature at a point, or an unnamed feature there if none is known.
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status>;

    /// Every feature inside a rectangle, streamed as found.
    async fn list_features(
        &self,
        request: Request<Rectangle>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Feature>, Status>>>, Status>;

    /// Reads a whole route and sums it up.
    async fn record_route(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status>;

    /// For each note received, the notes posted earlier at the same place.
    async fn route_chat(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl Stream<Item = Result<RouteNote, Status>>>, Status>;
}
