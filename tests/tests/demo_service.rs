//! The demo service (RouteGuide semantics) served by `hello::demo::server::serve` on 127.0.0.1:0, called through the
//! generated client: lookups, rectangles in every corner order, route figures, RouteChat history and its bounds,
//! INVALID_ARGUMENT, gzip, message size limits.

use futures_util::StreamExt;
use hello::demo::features::FeatureDb;
use hello::demo::geo;
use hello::demo::hello_client::HelloClient;
use hello::demo::notes::NoteLimits;
use hello::demo::server::Config;
use hello::demo::{Feature, Point, Rectangle, RouteNote, RouteSummary};
use hello_tests::demo::{HelloClientOf, quick, start};
use hello_tests::messages::{note, rect};
use hello_tests::status::first_error;
use std::time::Duration;
use tonic::Code;
use tonic::codec::CompressionEncoding;
use tonic::transport::Channel;

async fn list(c: &mut HelloClient<Channel>, lo: Point, hi: Point) -> Vec<String> {
    let mut s = c.list_features(rect(lo, hi)).await.unwrap().into_inner();
    let mut names = Vec::new();
    while let Some(f) = s.message().await.unwrap() {
        names.push(f.name);
    }
    names
}

#[tokio::test]
async fn get_feature_finds_known_places_and_echoes_unknown_points() {
    let server = start(quick()).await;
    let mut c = server.client().await;

    let f = c
        .get_feature(Point::new(39.92, 116.46))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        f,
        Feature {
            name: "北京".into(),
            location: Some(Point::new(39.92, 116.46))
        }
    );

    // Within the tolerance: the feature, at its own location.
    let f = c
        .get_feature(Point::new(31.23005, 121.46995))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        f,
        Feature {
            name: "上海".into(),
            location: Some(Point::new(31.23, 121.47))
        }
    );

    // Nothing there: an unnamed feature at the point asked, as RouteGuide answers.
    let f = c
        .get_feature(Point::new(1.0, 2.0))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        f,
        Feature {
            name: String::new(),
            location: Some(Point::new(1.0, 2.0))
        }
    );
    let f = c
        .get_feature(Point::new(39.921, 116.46))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(f.name, "");
    server.stop().await;
}

#[tokio::test]
async fn list_features_takes_corners_in_any_order() {
    let server = start(quick()).await;
    let mut c = server.client().await;
    let (beijing, shanghai) = (Point::new(39.92, 116.46), Point::new(31.23, 121.47));
    let expected = list(&mut c, beijing, shanghai).await;
    assert_eq!(
        expected,
        [
            "北京", "天津", "济南", "泰山", "青岛", "烟台", "徐州", "合肥", "南京", "扬州", "无锡",
            "苏州", "上海"
        ]
    );
    let (nw, se) = (Point::new(39.92, 116.46), Point::new(31.23, 121.47));
    let (ne, sw) = (Point::new(39.92, 121.47), Point::new(31.23, 116.46));
    for (a, b) in [(se, nw), (ne, sw), (sw, ne)] {
        assert_eq!(list(&mut c, a, b).await, expected);
    }
    // The seed client's rectangle holds nothing; the whole globe holds everything, in database order.
    assert!(
        list(&mut c, Point::new(1.0, 2.0), Point::new(3.0, 4.0))
            .await
            .is_empty()
    );
    let all: Vec<String> = FeatureDb::default_db()
        .all()
        .iter()
        .map(|f| f.name.clone())
        .collect();
    assert_eq!(
        list(&mut c, Point::new(-90.0, -180.0), Point::new(90.0, 180.0)).await,
        all
    );
    server.stop().await;
}

#[tokio::test]
async fn list_features_streams_a_large_database_completely() {
    let features: Vec<Feature> = (0..20_000)
        .map(|i| Feature {
            name: format!("p{i}"),
            location: Some(Point::new((i / 200) as f32 * 0.01, (i % 200) as f32 * 0.01)),
        })
        .collect();
    let config = Config {
        features: FeatureDb::from_features(features).unwrap(),
        ..quick()
    };
    let server = start(config).await;
    let mut c = server.client().await;
    let names = list(&mut c, Point::new(0.0, 0.0), Point::new(90.0, 180.0)).await;
    assert_eq!(names.len(), 20_000);
    assert_eq!(names.first().map(String::as_str), Some("p0"));
    assert_eq!(names.last().map(String::as_str), Some("p19999"));
    // A sub-rectangle: rows 0..=9, columns 0..=4.
    assert_eq!(
        list(&mut c, Point::new(0.09, 0.04), Point::new(0.0, 0.0))
            .await
            .len(),
        50
    );
    server.stop().await;
}

#[tokio::test]
async fn record_route_sums_a_known_route() {
    let server = start(quick()).await;
    let mut c = server.client().await;
    // 北京 -> 天津 -> an unknown point -> 济南.
    let route = vec![
        Point::new(39.92, 116.46),
        Point::new(39.13, 117.20),
        Point::new(38.0, 117.0),
        Point::new(36.65, 117.12),
    ];
    let metres: f64 = route
        .windows(2)
        .map(|w| geo::distance_m(&w[0], &w[1]))
        .sum();
    let s = c
        .record_route(futures_util::stream::iter(route))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(s.point_count, 4);
    assert_eq!(s.feature_count, 3);
    assert_eq!(s.distance, metres.round() as i32);
    // The same figure computed apart (Python's math, haversine, R = 6371008.8 m): 385708.6 m.
    assert_eq!(s.distance, 385_709);
    assert_eq!(s.elapsed_time, 0, "all points sent at once");

    let empty = c
        .record_route(futures_util::stream::iter(Vec::<Point>::new()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(empty, RouteSummary::default());
    server.stop().await;
}

#[tokio::test]
async fn record_route_reads_the_whole_stream_and_times_it() {
    let server = start(quick()).await;
    let mut c = server.client().await;
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let call = tokio::spawn(async move {
        c.record_route(tokio_stream::wrappers::ReceiverStream::new(rx))
            .await
    });
    tx.send(Point::new(1.0, 2.0)).await.unwrap();
    // The points are at least 1.1 s apart, so at least one whole second elapses between them on the server.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    tx.send(Point::new(1.0, 2.0)).await.unwrap();
    tx.send(Point::new(39.92, 116.46)).await.unwrap();
    drop(tx);
    let s = call.await.unwrap().unwrap().into_inner();
    assert_eq!((s.point_count, s.feature_count), (3, 1));
    assert!(s.elapsed_time >= 1, "{s:?}");
    server.stop().await;
}

async fn chat(c: &mut HelloClient<Channel>, notes: Vec<RouteNote>) -> Vec<String> {
    let mut s = c
        .route_chat(futures_util::stream::iter(notes))
        .await
        .unwrap()
        .into_inner();
    let mut got = Vec::new();
    while let Some(n) = s.message().await.unwrap() {
        got.push(n.message);
    }
    got
}

#[tokio::test]
async fn route_chat_answers_history_within_and_across_calls() {
    let server = start(quick()).await;
    let mut c = server.client().await;
    let (a, b) = (Point::new(39.92, 116.46), Point::new(31.23, 121.47));
    let got = chat(
        &mut c,
        vec![note(a, "a1"), note(b, "b1"), note(a, "a2"), note(a, "a3")],
    )
    .await;
    assert_eq!(got, ["a1", "a1", "a2"]);
    // A second call, on another connection: the notes of the first are still there.
    let mut c2 = server.client().await;
    let got = chat(&mut c2, vec![note(b, "b2"), note(a, "a4")]).await;
    assert_eq!(got, ["b1", "a1", "a2", "a3"]);
    server.stop().await;
}

#[tokio::test]
async fn route_chat_memory_is_bounded_per_place_and_in_total() {
    let limits = NoteLimits {
        per_location: 3,
        total: 5,
        total_bytes: 1 << 20,
    };
    let server = start(Config {
        notes: limits,
        ..quick()
    })
    .await;
    let mut c = server.client().await;
    let here = Point::new(10.0, 10.0);
    let many: Vec<RouteNote> = (0..10).map(|i| note(here, &format!("n{i}"))).collect();
    let got = chat(&mut c, many).await;
    // Note i is answered with at most the 3 notes before it.
    assert_eq!(got.len(), 1 + 2 + 3 * 7);
    let got = chat(&mut c, vec![note(here, "last")]).await;
    assert_eq!(
        got,
        ["n7", "n8", "n9"],
        "only the newest 3 at one place are kept"
    );

    // Five places, one note each, then one more: the oldest note of the whole store is forgotten.
    let places: Vec<Point> = (0..6).map(|i| Point::new(20.0 + i as f32, 0.0)).collect();
    let first: Vec<RouteNote> = places
        .iter()
        .enumerate()
        .map(|(i, p)| note(*p, &format!("p{i}")))
        .collect();
    assert!(chat(&mut c, first).await.is_empty());
    assert!(
        chat(&mut c, vec![note(places[0], "again")])
            .await
            .is_empty(),
        "p0 was forgotten"
    );
    assert_eq!(chat(&mut c, vec![note(places[5], "again")]).await, ["p5"]);
    server.stop().await;
}

fn status_of<T>(r: Result<T, tonic::Status>) -> (Code, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(s) => (s.code(), s.message().to_owned()),
    }
}

#[tokio::test]
async fn invalid_points_get_invalid_argument_with_a_reason() {
    let server = start(quick()).await;
    let mut c = server.client().await;
    let cases = [
        (
            Point::new(f32::NAN, 0.0),
            "point: latitude is NaN, not a finite number",
        ),
        (
            Point::new(0.0, f32::NEG_INFINITY),
            "point: longitude is -inf, not a finite number",
        ),
        (
            Point::new(90.5, 0.0),
            "point: latitude 90.5 is outside [-90, 90]",
        ),
        (
            Point::new(0.0, 180.5),
            "point: longitude 180.5 is outside [-180, 180]",
        ),
    ];
    for (p, msg) in cases {
        assert_eq!(
            status_of(c.get_feature(p).await),
            (Code::InvalidArgument, msg.to_owned())
        );
    }

    let r = c
        .list_features(Rectangle {
            lo: Some(Point::new(0.0, 0.0)),
            hi: None,
        })
        .await;
    assert_eq!(
        status_of(r),
        (
            Code::InvalidArgument,
            "rectangle: corner hi is missing".to_owned()
        )
    );
    let r = c
        .list_features(Rectangle {
            lo: Some(Point::new(-91.0, 0.0)),
            hi: Some(Point::new(0.0, 0.0)),
        })
        .await;
    assert_eq!(
        status_of(r),
        (
            Code::InvalidArgument,
            "rectangle: corner lo: latitude -91 is outside [-90, 90]".to_owned()
        )
    );

    let route = vec![
        Point::new(1.0, 1.0),
        Point::new(2.0, 200.0),
        Point::new(3.0, 3.0),
    ];
    let r = c.record_route(futures_util::stream::iter(route)).await;
    assert_eq!(
        status_of(r),
        (
            Code::InvalidArgument,
            "point 1: longitude 200 is outside [-180, 180]".to_owned()
        )
    );

    // RouteChat answers the good notes before the bad one, then ends with the status.
    let notes = vec![
        note(Point::new(5.0, 5.0), "ok"),
        note(Point::new(5.0, 5.0), "ok2"),
        note(Point::new(f32::INFINITY, 5.0), "bad"),
    ];
    let mut s = c
        .route_chat(futures_util::stream::iter(notes))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(s.message().await.unwrap().unwrap().message, "ok");
    let e = s.message().await.unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            Code::InvalidArgument,
            "note 2: latitude is inf, not a finite number"
        )
    );
    let notes = vec![RouteNote {
        location: None,
        message: "nowhere".into(),
    }];
    let e = first_error(c.route_chat(futures_util::stream::iter(notes)).await).await;
    assert_eq!(
        (e.code(), e.message()),
        (Code::InvalidArgument, "note 0: location is missing")
    );
    server.stop().await;
}

#[tokio::test]
async fn gzip_is_accepted_and_sent_when_asked() {
    let server = start(quick()).await;
    let mut c = server
        .client()
        .await
        .send_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Gzip);
    let r = c.get_feature(Point::new(39.92, 116.46)).await.unwrap();
    assert_eq!(
        r.metadata()
            .get("grpc-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    assert_eq!(r.into_inner().name, "北京");
    let r = c
        .list_features(Rectangle {
            lo: Some(Point::new(-90.0, -180.0)),
            hi: Some(Point::new(90.0, 180.0)),
        })
        .await
        .unwrap();
    assert_eq!(
        r.metadata()
            .get("grpc-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    assert_eq!(r.into_inner().count().await, FeatureDb::default_db().len());

    // A client that does not ask gets plain replies.
    let mut plain = server.client().await;
    let r = plain.get_feature(Point::new(39.92, 116.46)).await.unwrap();
    assert!(r.metadata().get("grpc-encoding").is_none());
    server.stop().await;
}

#[tokio::test]
async fn messages_over_the_size_limit_are_refused() {
    let server = start(Config {
        max_message_size: 1024,
        ..quick()
    })
    .await;
    let mut c = server.client().await;
    let big = note(Point::new(1.0, 1.0), &"x".repeat(4096));
    let e = first_error(c.route_chat(futures_util::stream::iter(vec![big])).await).await;
    // The generated server gives the code the gRPC spec gives (tonic's decoder says OUT_OF_RANGE).
    assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
    // Small calls on the same server still work.
    assert_eq!(
        c.get_feature(Point::new(39.92, 116.46))
            .await
            .unwrap()
            .into_inner()
            .name,
        "北京"
    );
    server.stop().await;
}
