//! The harness itself, against a service that is not hello's: tonic's health service, in plaintext, over TLS,
//! in the test's runtime and on a thread of its own; and protox's output in memory and on disk.

use hello_testkit::pki::Pki;
use hello_testkit::{OnThread, Running, proto, scratch};
use tonic::transport::Server;
use tonic::transport::server::Router;
use tonic_health::ServingStatus;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus as Answer;
use tonic_health::pb::health_client::HealthClient;

/// Health with one service marked serving; its reporter must live as long as the server.
async fn health(builder: Server) -> (Router, tonic_health::server::HealthReporter) {
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter
        .set_service_status("test.Serving", ServingStatus::Serving)
        .await;
    let mut builder = builder;
    (builder.add_service(service), reporter)
}

async fn status(channel: tonic::transport::Channel, service: &str) -> Result<Answer, tonic::Code> {
    HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: service.into(),
        })
        .await
        .map(|r| r.into_inner().status())
        .map_err(|e| e.code())
}

#[tokio::test]
async fn a_router_serves_on_a_free_loopback_port_until_stopped() {
    let (router, _reporter) = health(Server::builder()).await;
    let server = Running::router(router).await;
    assert!(server.addr().ip().is_loopback());
    assert_ne!(server.addr().port(), 0);
    assert_eq!(server.url(), format!("http://{}", server.addr()));
    let channel = server.channel().await;
    assert_eq!(
        status(channel.clone(), "test.Serving").await,
        Ok(Answer::Serving)
    );
    assert_eq!(
        status(channel, "test.Missing").await,
        Err(tonic::Code::NotFound)
    );
    let addr = server.addr();
    server.stop().await;
    // Stopped means the listener is closed.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn two_servers_get_two_ports() {
    let (a, _ra) = health(Server::builder()).await;
    let (b, _rb) = health(Server::builder()).await;
    let a = Running::router(a).await;
    let b = Running::router(b).await;
    assert_ne!(a.addr(), b.addr());
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn over_tls_a_client_that_trusts_the_test_ca_is_served() {
    let pki = Pki::new();
    let builder = Server::builder().tls_config(pki.server_tls()).unwrap();
    let (router, _reporter) = health(builder).await;
    let server = Running::router(router).await;
    let channel = server.tls_channel(pki.client_tls()).await;
    assert_eq!(status(channel, "test.Serving").await, Ok(Answer::Serving));
    // Another CA's client does not trust it.
    let stranger = tonic::transport::Endpoint::from_shared(server.https_url())
        .unwrap()
        .tls_config(Pki::new().client_tls())
        .unwrap()
        .connect()
        .await;
    assert!(
        stranger.is_err(),
        "a certificate of another CA was accepted"
    );
    server.stop().await;
}

#[tokio::test]
async fn stop_returns_what_the_serve_function_returned() {
    let mut server = Running::serve(|_listener, shutdown| async move {
        shutdown.await;
        Err::<(), _>("ended badly")
    })
    .await;
    assert!(!server.is_finished());
    server.request_stop();
    assert_eq!(server.finished().await, Err("ended badly"));
}

#[test]
fn on_a_thread_of_its_own_a_sync_test_is_served_and_tasks_are_counted() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (router, reporter) = runtime.block_on(health(Server::builder()));
    let server = OnThread::router(router);
    let before = server.tasks();
    runtime.block_on(async {
        let channel = tonic::transport::Endpoint::from_shared(server.url())
            .unwrap()
            .connect()
            .await
            .unwrap();
        assert_eq!(
            status(channel.clone(), "test.Serving").await,
            Ok(Answer::Serving)
        );
        // The connection is a task of the server's runtime.
        assert!(
            server.tasks() > before,
            "{} tasks, {before} before",
            server.tasks()
        );
    });
    drop(server);
    drop(reporter);
}

#[test]
fn protos_compile_in_memory_and_on_disk_alike() {
    let text = "syntax = \"proto3\";\npackage t;\nimport \"u.proto\";\nmessage A { t.B b = 1; }\n";
    let imported = "syntax = \"proto3\";\npackage t;\nmessage B { string s = 1; }\n";
    let in_memory = proto::compile(&[("a.proto", text), ("u.proto", imported)]);
    let names: Vec<_> = in_memory.file.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["u.proto", "a.proto"]);

    let dir = scratch("testkit-proto");
    std::fs::write(dir.join("a.proto"), text).unwrap();
    std::fs::write(dir.join("u.proto"), imported).unwrap();
    let mut on_disk = proto::compile_dir(&dir, &["a.proto"]);
    // On disk, as protoc --include_source_info: the same files, with source info.
    assert!(on_disk.file.iter().all(|f| f.source_code_info.is_some()));
    for f in &mut on_disk.file {
        f.source_code_info = None;
    }
    assert_eq!(on_disk, in_memory);

    let error = proto::try_compile(&[("a.proto", "syntax = \"proto3\"; message {")]).unwrap_err();
    assert!(!error.to_string().is_empty());
    let owned = [("u.proto".to_owned(), imported.to_owned())];
    assert_eq!(proto::compile_owned(&owned).file.len(), 1);
}
