//! The generated client against the generated server over a real socket, for every kind of RPC.

use futures_util::StreamExt;
use hello::Reply;
use hello::demo::hello_client::HelloClient;
use hello::demo::hello_server::HelloServer;
use hello::demo::{Feature, Hello, Point, Rectangle, RouteNote, RouteSummary};
use hello_testkit::Running;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Notify;
use tokio_stream::Stream;
use tonic::transport::{Channel, Server};
use tonic::{Code, Request, Response, Status, Streaming};

/// A service whose answers are easy to predict, and which counts the streams it has open.
#[derive(Default)]
struct Echo {
    open_streams: Arc<AtomicUsize>,
    stream_dropped: Arc<Notify>,
}

/// Decrements the count of open streams when the stream it lives in is dropped.
struct OpenStream(Arc<AtomicUsize>, Arc<Notify>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
        self.1.notify_waiters();
    }
}

impl Hello for Echo {
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let echoed = request.metadata().get("x-echo").cloned();
        let point = request.into_inner();
        if point.latitude < 0.0 {
            return Err(Status::failed_precondition("south of the equator"));
        }
        let mut response = Response::new(Feature {
            name: format!("{},{}", point.latitude, point.longitude),
            location: Some(point),
        });
        if let Some(value) = echoed {
            response.metadata_mut().insert("x-echoed", value);
        }
        Ok(response)
    }

    async fn list_features(
        &self,
        request: Request<Rectangle>,
    ) -> Result<Response<impl Stream<Item = Result<Reply<Feature>, Status>> + Send + use<>>, Status>
    {
        let lo = request.into_inner().lo.unwrap_or_default();
        let count = lo.latitude as usize;
        self.open_streams.fetch_add(1, Ordering::SeqCst);
        let guard = OpenStream(self.open_streams.clone(), self.stream_dropped.clone());
        // `count == 0` means an endless stream, for the test that drops it midway.
        let stream = futures_util::stream::iter(0..).map(move |i| {
            let _alive = &guard;
            Ok(Feature {
                name: format!("feature {i}"),
                location: Some(Point::new(i as f32, 0.0)),
            }
            .into())
        });
        Ok(Response::new(if count == 0 {
            stream.boxed()
        } else {
            stream.take(count).boxed()
        }))
    }

    async fn record_route(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        let mut points = request.into_inner();
        let mut summary = RouteSummary::default();
        while let Some(point) = points.message().await? {
            summary.point_count += 1;
            summary.distance += point.latitude as i32;
        }
        Ok(Response::new(summary))
    }

    async fn route_chat(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<impl Stream<Item = Result<RouteNote, Status>> + Send + use<>>, Status>
    {
        let notes = request.into_inner();
        Ok(Response::new(notes.map(|note| {
            note.map(|note| RouteNote {
                message: format!("re: {}", note.message),
                ..note
            })
        })))
    }
}

/// `service` served on 127.0.0.1:0 (until the server is dropped), and a client of it.
async fn start(service: Echo) -> (Running, HelloClient<Channel>) {
    let server = Running::router(Server::builder().add_service(HelloServer::new(service))).await;
    let client = HelloClient::new(server.channel().await);
    (server, client)
}

#[tokio::test]
async fn unary_answers_and_carries_metadata_both_ways() {
    let (_server, mut client) = start(Echo::default()).await;
    let mut request = Request::new(Point::new(39.92, 116.46));
    request
        .metadata_mut()
        .insert("x-echo", "hello".parse().unwrap());
    let response = client.get_feature(request).await.unwrap();
    assert_eq!(response.metadata().get("x-echoed").unwrap(), "hello");
    assert_eq!(
        response.into_inner(),
        Feature {
            name: "39.92,116.46".into(),
            location: Some(Point::new(39.92, 116.46)),
        }
    );
}

#[tokio::test]
async fn a_handlers_status_reaches_the_client() {
    let (_server, mut client) = start(Echo::default()).await;
    let status = client.get_feature(Point::new(-1.0, 0.0)).await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert_eq!(status.message(), "south of the equator");
}

#[tokio::test]
async fn server_streaming_sends_every_message_in_order() {
    let (_server, mut client) = start(Echo::default()).await;
    let rectangle = Rectangle {
        lo: Some(Point::new(5.0, 0.0)),
        hi: None,
    };
    let features: Vec<Feature> = client
        .list_features(rectangle)
        .await
        .unwrap()
        .into_inner()
        .map(Result::unwrap)
        .collect()
        .await;
    let names: Vec<_> = features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "feature 0",
            "feature 1",
            "feature 2",
            "feature 3",
            "feature 4"
        ]
    );
    assert_eq!(features[4].location, Some(Point::new(4.0, 0.0)));
}

#[tokio::test]
async fn client_streaming_reads_the_whole_stream() {
    let (_server, mut client) = start(Echo::default()).await;
    let points = (1..=10).map(|i| Point::new(i as f32, 0.0));
    let summary = client
        .record_route(tokio_stream::iter(points))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(summary.point_count, 10);
    assert_eq!(summary.distance, 55);
}

#[tokio::test]
async fn bidirectional_answers_each_note_as_it_comes() {
    let (_server, mut client) = start(Echo::default()).await;
    let (send, receive) = tokio::sync::mpsc::channel(1);
    let mut answers = client
        .route_chat(tokio_stream::wrappers::ReceiverStream::new(receive))
        .await
        .unwrap()
        .into_inner();
    // Each answer arrives before the next note is sent: the two sides interleave.
    for i in 0..3 {
        let note = RouteNote {
            location: Some(Point::new(i as f32, 1.0)),
            message: format!("note {i}"),
        };
        send.send(note).await.unwrap();
        let answer = answers.message().await.unwrap().unwrap();
        assert_eq!(answer.message, format!("re: note {i}"));
        assert_eq!(answer.location, Some(Point::new(i as f32, 1.0)));
    }
    drop(send);
    assert!(answers.message().await.unwrap().is_none());
}

#[tokio::test]
async fn an_unknown_method_is_unimplemented() {
    let (server, _) = start(Echo::default()).await;
    let mut grpc = tonic::client::Grpc::new(server.channel().await);
    grpc.ready().await.unwrap();
    let status = grpc
        .unary::<Point, Point, _>(
            Request::new(Point::default()),
            "/hello.Hello/NoSuchMethod".parse().unwrap(),
            tonic_prost::ProstCodec::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented);
    assert!(status.message().contains("/hello.Hello/NoSuchMethod"));
}

#[tokio::test]
async fn a_dropped_server_stream_ends_on_the_server() {
    let service = Echo::default();
    let open = service.open_streams.clone();
    let dropped = service.stream_dropped.clone();
    let (_server, mut client) = start(service).await;
    let endless = Rectangle {
        lo: Some(Point::new(0.0, 0.0)),
        hi: None,
    };
    let mut features = client.list_features(endless).await.unwrap().into_inner();
    for _ in 0..3 {
        features.message().await.unwrap().unwrap();
    }
    assert_eq!(open.load(Ordering::SeqCst), 1);
    let notified = dropped.notified();
    drop(features);
    tokio::time::timeout(Duration::from_secs(10), notified)
        .await
        .expect("the server kept the stream after the client dropped it");
    assert_eq!(open.load(Ordering::SeqCst), 0);
}
