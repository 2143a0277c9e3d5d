//! Our client against our server (both from the macro), every standard case, in plaintext; and the whole
//! suite once over TLS with the test certificate, as `--use_tls --use_test_ca --server_host_override` runs it.

mod common;

use interop::client::{self, Connection, OurClient, cases};
use interop::server::{TEST_CA_PEM, Tls};

async fn our_client_our_server(case: &str) {
    let server = common::start_ours(None).await;
    let client = common::our_client(&server).await;
    common::pass(&client, case).await;
    drop(client);
    server.stop().await;
}

each_case!(our_client_our_server);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_over_tls() {
    let server = common::start_ours(Some(Tls::test_cert())).await;
    let addr = server.addr();
    let connection = Connection {
        host: addr.ip().to_string(),
        port: addr.port(),
        tls: true,
        host_override: Some("foo.test.google.fr".into()),
        ca_pem: Some(TEST_CA_PEM.to_vec()),
    };
    let client = OurClient::new(client::connect(&connection).await.expect("TLS connection"));
    for case in cases::ALL {
        common::pass(&client, case).await;
    }
    drop(client);
    server.stop().await;
}
