//! What the interop tests share: servers on 127.0.0.1:0 in the test's runtime (testkit's harness), clients, and
//! the tonic-build peer.
#![allow(dead_code)] // Each test file uses part of it.

pub mod peer;

use hello_testkit::Running;
use interop::client::{OurClient, TestClient, cases};
use interop::server::{self, Tls};

/// Our interop server (as `interop-server` runs it).
pub async fn start_ours(tls: Option<Tls>) -> Running {
    Running::serve(|listener, shutdown| server::serve(listener, tls, shutdown)).await
}

/// Our client, in plaintext.
pub async fn our_client(server: &Running) -> OurClient {
    OurClient::new(server.channel().await)
}

/// Runs one case and fails the test with the case's own words.
pub async fn pass<C: TestClient>(client: &C, case: &str) {
    if let Err(why) = cases::run(client, case).await {
        panic!("{case}: {why}");
    }
}

/// One `#[tokio::test]` per standard case, each running `$run(case_name)`.
#[macro_export]
macro_rules! each_case {
    ($run:path) => {
        $crate::each_case!(@tests $run;
            empty_unary, large_unary, client_compressed_unary, server_compressed_unary, client_streaming,
            client_compressed_streaming, server_streaming, server_compressed_streaming, ping_pong, half_duplex,
            empty_stream, cancel_after_begin, cancel_after_first_response, timeout_on_sleeping_server,
            status_code_and_message, special_status_message, custom_metadata, unimplemented_method,
            unimplemented_service);

        #[test]
        fn every_case_has_a_test() {
            let tested = [
                "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary",
                "client_streaming", "client_compressed_streaming", "server_streaming",
                "server_compressed_streaming", "ping_pong", "half_duplex", "empty_stream", "cancel_after_begin",
                "cancel_after_first_response", "timeout_on_sleeping_server", "status_code_and_message",
                "special_status_message", "custom_metadata", "unimplemented_method", "unimplemented_service",
            ];
            assert_eq!(tested, interop::client::cases::ALL);
        }
    };
    (@tests $run:path; $($case:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $run(stringify!($case)).await;
            }
        )*
    };
}
