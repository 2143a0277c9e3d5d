//! Client-side balancing over several servers, each used only while its gRPC health check says SERVING.
//!
//! tonic's [`Channel::balance_list`] spreads calls over endpoints but keeps sending to one that is shutting down
//! or gone (its calls fail until it is back). Servers set up as the toolkit recommends report NOT_SERVING for a
//! while before they close their connections (`hello-server --drain-delay`); a client that watches their health
//! moves away in time, so a rolling restart fails no call. This is what gRPC's own clients do with client-side
//! health checking (`doc/health-checking.md`).

use std::time::Duration;
use tonic::transport::channel::Change;
use tonic::transport::{Channel, Endpoint};

/// The gRPC health check's request and answer (`grpc.health.v1`), the two fields used.
#[derive(Clone, PartialEq, prost::Message)]
struct HealthCheckRequest {
    #[prost(string, tag = "1")]
    service: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct HealthCheckResponse {
    #[prost(int32, tag = "1")]
    status: i32,
}

const SERVING: i32 = 1;

/// A channel that balances calls over `endpoints` (tonic's power-of-two-choices balancer), each taking calls
/// only while `grpc.health.v1.Health/Check` (the server as a whole, service "") answers SERVING, checked every
/// `every` on a connection of its own. Calls wait while no endpoint is serving.
///
/// Spawns the checking task on the current tokio runtime; it ends when the channel and its clones are dropped.
pub fn balanced_by_health(
    endpoints: impl IntoIterator<Item = Endpoint>,
    every: Duration,
) -> Channel {
    let endpoints: Vec<Endpoint> = endpoints.into_iter().collect();
    let (channel, changes) = Channel::balance_channel(endpoints.len().max(1));
    tokio::spawn(async move {
        let checks: Vec<Channel> = endpoints
            .iter()
            .map(|e| e.clone().timeout(every * 5).connect_lazy())
            .collect();
        let mut serving = vec![false; endpoints.len()];
        loop {
            for (i, endpoint) in endpoints.iter().enumerate() {
                let up = is_serving(checks[i].clone()).await;
                let change = match (up, serving[i]) {
                    (true, false) => Change::Insert(i, endpoint.clone()),
                    (false, true) => Change::Remove(i),
                    _ => continue,
                };
                serving[i] = up;
                if changes.send(change).await.is_err() {
                    return; // the balanced channel is gone
                }
            }
            tokio::time::sleep(every).await;
        }
    });
    channel
}

async fn is_serving(channel: Channel) -> bool {
    let mut grpc = tonic::client::Grpc::new(channel);
    if grpc.ready().await.is_err() {
        return false;
    }
    let path = http::uri::PathAndQuery::from_static("/grpc.health.v1.Health/Check");
    let answer: Result<tonic::Response<HealthCheckResponse>, _> = grpc
        .unary(
            tonic::Request::new(HealthCheckRequest::default()),
            path,
            tonic_prost::ProstCodec::default(),
        )
        .await;
    matches!(answer, Ok(r) if r.get_ref().status == SERVING)
}
