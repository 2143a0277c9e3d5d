//! The cases are not vacuous: against a server that lacks the interop features (TestService served without
//! the metadata-echo layer and without compression), the cases that need them fail, saying what was wrong,
//! and the others pass.

mod common;

use hello_testkit::Running;
use interop::client::cases;
use interop::server::Interop;
use interop::test_service_server::TestServiceServer;
use tonic::transport::Server;

async fn start_plain_server() -> Running {
    Running::router(Server::builder().add_service(TestServiceServer::new(Interop))).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_the_features_fails_the_cases_that_need_them() {
    let server = start_plain_server().await;
    let client = common::our_client(&server).await;
    let failed = |why: &str| Err(why.to_owned());
    assert_eq!(
        cases::run(&client, "custom_metadata").await,
        failed(
            "UnaryCall: initial metadata x-grpc-test-echo-initial is None, expected \"test_initial_metadata_value\""
        )
    );
    assert_eq!(
        cases::run(&client, "client_compressed_unary").await,
        failed(
            "probe (uncompressed, expect_compressed=true): succeeded, expected status InvalidArgument"
        )
    );
    assert_eq!(
        cases::run(&client, "client_compressed_streaming").await,
        failed(
            "probe (uncompressed, expect_compressed=true): succeeded, expected status InvalidArgument"
        )
    );
    assert_eq!(
        cases::run(&client, "server_compressed_unary").await,
        failed(
            "UnaryCall with response_compressed=true: response messages came [uncompressed], expected [compressed]"
        )
    );
    assert_eq!(
        cases::run(&client, "server_compressed_streaming").await,
        failed(
            "StreamingOutputCall (compressed, then uncompressed): response messages came [uncompressed, \
             uncompressed], expected [compressed, uncompressed]"
        )
    );
    for case in [
        "empty_unary",
        "large_unary",
        "ping_pong",
        "status_code_and_message",
        "unimplemented_service",
    ] {
        common::pass(&client, case).await;
    }
}
