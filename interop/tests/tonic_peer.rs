//! Our macro's code against tonic-build's for the same protos, every standard case in both directions:
//! tonic-build's client against our server, and our client against tonic-build's server.

mod common;

use common::peer::{self, PeerClient};

async fn their_client_our_server(case: &str) {
    let server = common::start_ours(None).await;
    let client = PeerClient::new(server.channel().await);
    common::pass(&client, case).await;
    drop(client);
    server.stop().await;
}

async fn our_client_their_server(case: &str) {
    let server = peer::start_server().await;
    let client = common::our_client(&server).await;
    common::pass(&client, case).await;
    drop(client);
    server.stop().await;
}

mod their_client_our_server {
    use super::*;
    each_case!(their_client_our_server);
}

mod our_client_their_server {
    use super::*;
    each_case!(our_client_their_server);
}
