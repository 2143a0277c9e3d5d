//! The client's subcommands, each a short sequence of calls and prints.

use super::connect::{CliError, Target};
use super::output::{Printer, place};
use crate::demo::messages::{Point, Rectangle, RouteNote};
use crate::demo::service::hello_client::HelloClient;
use futures_util::{Stream, StreamExt};
use tonic::transport::Channel;

type Client = HelloClient<Channel>;

pub async fn get_feature(
    c: &mut Client,
    t: &Target,
    out: Printer,
    at: Point,
) -> Result<(), CliError> {
    let f = c
        .get_feature(at)
        .await
        .map_err(|s| t.call_error("GetFeature", s))?
        .into_inner();
    out.feature(&f)?;
    Ok(())
}

pub async fn list_features(
    c: &mut Client,
    t: &Target,
    out: Printer,
    lo: Point,
    hi: Point,
) -> Result<(), CliError> {
    let err = |s| t.call_error("ListFeatures", s);
    let rect = Rectangle {
        lo: Some(lo),
        hi: Some(hi),
    };
    let mut features = c.list_features(rect).await.map_err(err)?.into_inner();
    let mut n = 0usize;
    // Printed as they arrive: a large rectangle starts showing at once.
    while let Some(f) = features.message().await.map_err(err)? {
        out.feature(&f)?;
        n += 1;
    }
    out.heading(&format!("{n} features"))?;
    Ok(())
}

pub async fn record_route(
    c: &mut Client,
    t: &Target,
    out: Printer,
    points: Vec<Point>,
) -> Result<(), CliError> {
    let summary = c
        .record_route(futures_util::stream::iter(points))
        .await
        .map_err(|s| t.call_error("RecordRoute", s))?
        .into_inner();
    out.summary(&summary)?;
    Ok(())
}

pub async fn route_chat<S>(
    c: &mut Client,
    t: &Target,
    out: Printer,
    notes: S,
) -> Result<(), CliError>
where
    S: Stream<Item = RouteNote> + Send + 'static,
{
    let err = |s| t.call_error("RouteChat", s);
    let mut answers = c.route_chat(notes.boxed()).await.map_err(err)?.into_inner();
    while let Some(n) = answers.message().await.map_err(err)? {
        out.note(&n)?;
    }
    Ok(())
}

/// Places of the embedded database that the demo uses.
const BEIJING: Point = Point {
    latitude: 39.92,
    longitude: 116.46,
};
const SHANGHAI: Point = Point {
    latitude: 31.23,
    longitude: 121.47,
};
const ROUTE: [Point; 7] = [
    BEIJING,
    Point {
        latitude: 39.13,
        longitude: 117.20,
    }, // 天津
    Point {
        latitude: 36.65,
        longitude: 117.12,
    }, // 济南
    Point {
        latitude: 34.26,
        longitude: 117.18,
    }, // 徐州
    Point {
        latitude: 32.06,
        longitude: 118.80,
    }, // 南京
    Point {
        latitude: 31.30,
        longitude: 120.62,
    }, // 苏州
    SHANGHAI,
];

/// The seed client's four calls, with inputs that show real data.
pub async fn demo(c: &mut Client, t: &Target, out: Printer) -> Result<(), CliError> {
    out.heading(&format!("== GetFeature {}", place(&Some(BEIJING))))?;
    get_feature(c, t, out, BEIJING).await?;

    out.heading(&format!(
        "== ListFeatures from 北京 {} to 上海 {}",
        place(&Some(BEIJING)),
        place(&Some(SHANGHAI))
    ))?;
    list_features(c, t, out, BEIJING, SHANGHAI).await?;

    out.heading("== RecordRoute 北京 天津 济南 徐州 南京 苏州 上海")?;
    record_route(c, t, out, ROUTE.to_vec()).await?;

    out.heading("== RouteChat (each note answered with the notes posted earlier at its place)")?;
    let note = |at: Point, m: &str| RouteNote {
        location: Some(at),
        message: m.to_owned(),
    };
    let notes = vec![
        note(BEIJING, "first at 北京"),
        note(BEIJING, "second at 北京"),
        note(SHANGHAI, "first at 上海"),
        note(BEIJING, "third at 北京"),
        note(SHANGHAI, "second at 上海"),
    ];
    route_chat(c, t, out, futures_util::stream::iter(notes)).await
}
