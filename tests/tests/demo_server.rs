//! `hello::demo::server::serve` over real sockets: health, TLS, shutdown with calls in flight, the grace period,
//! the request timeout. (The per-call log line is tested in call_log.rs, alone in its binary.)

use hello::demo::hello_client::HelloClient;
use hello::demo::server::{Config, TlsIdentity, check_tls};
use hello::demo::{Point, RouteNote};
use hello_testkit::HANG_GUARD;
use hello_testkit::pki::Pki;
use hello_tests::demo::{HelloClientOf, identity, quick, start};
use hello_tests::messages::note;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

#[tokio::test]
async fn health_reports_hello_serving() {
    let server = start(quick()).await;
    let channel = Endpoint::from_shared(server.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = HealthClient::new(channel);
    for service in ["hello.Hello", ""] {
        let r = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(r.status(), ServingStatus::Serving, "{service:?}");
    }
    let e = health
        .check(HealthCheckRequest {
            service: "no.Such".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    server.stop().await;
}

#[tokio::test]
async fn tls_with_a_certificate_made_in_the_test() {
    let pki = Pki::new();
    let server = start(Config {
        tls: Some(identity(&pki)),
        ..quick()
    })
    .await;
    let url = format!("https://{}", server.addr());

    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .domain_name("localhost");
    let channel = Endpoint::from_shared(url.clone())
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut c = HelloClient::new(channel);
    assert_eq!(
        c.get_feature(Point::new(39.92, 116.46))
            .await
            .unwrap()
            .into_inner()
            .name,
        "北京"
    );

    // A client that does not trust the test CA cannot connect.
    let untrusting = ClientTlsConfig::new()
        .with_native_roots()
        .domain_name("localhost");
    let r = Endpoint::from_shared(url)
        .unwrap()
        .tls_config(untrusting)
        .unwrap()
        .connect()
        .await;
    let e = r.expect_err("an unknown CA is refused");
    assert!(
        hello::demo::errors::chain(&e).contains("certificate"),
        "{}",
        hello::demo::errors::chain(&e)
    );

    // Plaintext HTTP/2 against the TLS port gets nowhere either.
    let mut plain = HelloClient::new(Endpoint::from_shared(server.url()).unwrap().connect_lazy());
    assert!(plain.get_feature(Point::new(39.92, 116.46)).await.is_err());
    server.stop().await;
}

#[test]
fn bad_tls_files_are_refused_up_front() {
    let pki = Pki::new();
    let swapped = TlsIdentity {
        cert_pem: pki.key_pem.clone().into_bytes(),
        key_pem: pki.cert_pem.clone().into_bytes(),
    };
    let e = check_tls(&swapped).unwrap_err().to_string();
    assert!(e.starts_with("bad TLS certificate or key"), "{e}");
    assert!(check_tls(&identity(&pki)).is_ok());
}

/// Opens a RouteChat and proves it is being served: its first note is answered.
async fn chat_in_flight(
    c: &mut HelloClient<Channel>,
) -> (mpsc::Sender<RouteNote>, tonic::Streaming<RouteNote>) {
    let here = Point::new(10.0, 20.0);
    let (tx, rx) = mpsc::channel(4);
    tx.send(note(here, "one")).await.unwrap();
    tx.send(note(here, "two")).await.unwrap();
    let mut answers = c
        .route_chat(ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answers.message().await.unwrap().unwrap().message, "one");
    (tx, answers)
}

#[tokio::test]
async fn shutdown_lets_a_call_in_flight_finish() {
    let mut server = start(Config {
        grace_period: Duration::from_secs(30),
        ..Config::default()
    })
    .await;
    let mut c = server.client().await;
    let (tx, mut answers) = chat_in_flight(&mut c).await;

    server.request_stop();
    // New connections are refused once shutdown starts (the listener is closed).
    let mut refused = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(server.addr()).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the listener still accepts after shutdown");
    assert!(!server.is_finished(), "serve waits for the call in flight");

    // The call in flight goes on and ends normally.
    tx.send(note(Point::new(10.0, 20.0), "three"))
        .await
        .unwrap();
    drop(tx);
    let mut rest = Vec::new();
    while let Some(n) = answers.message().await.unwrap() {
        rest.push(n.message);
    }
    assert_eq!(rest, ["one", "two"]);
    server.finished().await.unwrap();
}

#[tokio::test]
async fn grace_period_over_cuts_calls_still_in_flight() {
    let mut server = start(Config {
        grace_period: Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    let mut c = server.client().await;
    let (_tx, mut answers) = chat_in_flight(&mut c).await;
    server.request_stop();
    // The client never ends its call: serve still returns once the grace period is over...
    server.finished().await.unwrap();
    // ...and the call is cut, not left running behind it.
    let end = tokio::time::timeout(HANG_GUARD, async {
        loop {
            match answers.message().await {
                Ok(Some(_)) => continue,
                other => return other,
            }
        }
    })
    .await
    .expect("the cut call ends");
    assert!(end.is_err(), "{end:?}");
}

#[tokio::test]
async fn request_timeout_ends_slow_calls() {
    let config = Config {
        request_timeout: Some(Duration::from_millis(200)),
        ..quick()
    };
    let server = start(config).await;
    let mut c = server.client().await;
    // RecordRoute answers only when the route ends; this one never does.
    let (_tx, rx) = mpsc::channel::<Point>(1);
    let e = c.record_route(ReceiverStream::new(rx)).await.unwrap_err();
    assert_eq!(e.code(), Code::Cancelled, "{e:?}");
    // Quick calls are unaffected.
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
