//! `hello::serving::serve` with `Routes`, as a user serves without tonic's `transport::Server`: calls of every
//! path the runtime has (unary, server streaming, client streaming through tonic's `Grpc`), the peer's address in
//! each request, an unknown service, a server-wide timeout, and a graceful shutdown, over a real socket.

use hello::prelude::*;
use hello::serving::{AdmissionLayer, RequestTimeout, Routes, Settings};
use hello_testkit::Running;
use std::convert::Infallible;
use std::time::Duration;
use tonic::Code;
use tower::Layer;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "lean.v1")]
pub struct Echo {
    #[prost(string, tag = "1")]
    pub text: String,
}

#[hello::service(package = "lean.v1")]
pub trait Lean {
    /// Answers with the caller's address.
    async fn whoami(&self, request: Request<Echo>) -> Result<Response<Echo>, Status>;

    /// `n` copies of the request's text, `n` its length.
    async fn repeat(
        &self,
        request: Request<Echo>,
    ) -> Result<Response<impl Stream<Item = Result<Echo, Status>>>, Status>;

    /// The texts joined.
    async fn join(&self, request: Request<Streaming<Echo>>) -> Result<Response<Echo>, Status>;

    /// Never answers.
    async fn stall(&self, request: Request<Echo>) -> Result<Response<Echo>, Status>;
}

struct Server;

#[hello::service]
impl Lean for Server {
    async fn whoami(&self, request: Request<Echo>) -> Result<Response<Echo>, Status> {
        let addr = request
            .remote_addr()
            .ok_or_else(|| Status::internal("no remote address"))?;
        Ok(Response::new(Echo {
            text: addr.ip().to_string(),
        }))
    }

    async fn repeat(
        &self,
        request: Request<Echo>,
    ) -> Result<Response<impl Stream<Item = Result<Echo, Status>>>, Status> {
        let text = request.into_inner().text;
        let copies = vec![Ok(Echo { text: text.clone() }); text.len()];
        Ok(Response::new(hello::stream::iter(copies)))
    }

    async fn join(&self, request: Request<Streaming<Echo>>) -> Result<Response<Echo>, Status> {
        let mut texts = request.into_inner();
        let mut joined = String::new();
        while let Some(echo) = texts.message().await? {
            joined.push_str(&echo.text);
        }
        Ok(Response::new(Echo { text: joined }))
    }

    async fn stall(&self, _request: Request<Echo>) -> Result<Response<Echo>, Status> {
        std::future::pending().await
    }
}

async fn start() -> Running<Infallible> {
    Running::serve(|listener, shutdown| async move {
        let settings = Settings::default();
        let routes = Routes::new().add_service(lean_server::LeanServer::new(Server));
        let service = AdmissionLayer::new(settings.max_calls_in_flight).layer(routes);
        let service = RequestTimeout::new(service, Some(Duration::from_millis(300)));
        let incoming = hello::transport::TcpIncoming::from(listener);
        hello::serving::serve(&settings, incoming, service, shutdown).await;
        Ok(())
    })
    .await
}

fn echo(text: &str) -> Echo {
    Echo {
        text: text.to_owned(),
    }
}

#[tokio::test]
async fn serves_every_path_with_the_peers_address() {
    let server = start().await;
    let mut client = lean_client::LeanClient::new(server.channel().await);

    let me = client.whoami(echo("")).await.unwrap().into_inner();
    assert_eq!(me.text, "127.0.0.1");

    let copies: Vec<Echo> = client
        .repeat(echo("abc"))
        .await
        .unwrap()
        .into_inner()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(copies, vec![echo("abc"); 3]);

    let texts = hello::stream::iter(vec![echo("a"), echo("b"), echo("c")]);
    let joined = client.join(texts).await.unwrap().into_inner();
    assert_eq!(joined.text, "abc");

    server.stop().await;
}

#[tokio::test]
async fn an_unknown_service_is_unimplemented_and_slow_calls_time_out() {
    let server = start().await;
    let channel = server.channel().await;
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await.unwrap();
    let status = grpc
        .unary::<Echo, Echo, _>(
            Request::new(echo("")),
            "/lean.v1.Nobody/Whoami".parse().unwrap(),
            tonic_prost::ProstCodec::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
    assert!(
        status.message().contains("/lean.v1.Nobody/Whoami"),
        "{status:?}"
    );

    let mut client = lean_client::LeanClient::new(channel);
    let status = client.stall(echo("")).await.unwrap_err();
    assert_eq!(status.code(), Code::Cancelled, "{status:?}");
    // The connection goes on after both.
    assert_eq!(
        client.whoami(echo("")).await.unwrap().into_inner().text,
        "127.0.0.1"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_shutdown_lets_the_call_in_flight_finish() {
    let mut server = start().await;
    let mut client = lean_client::LeanClient::new(server.channel().await);
    // A client stream still open when the shutdown comes: it is answered, then the server ends.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(echo("before ")).await.unwrap();
    let call = tokio::spawn(async move {
        client
            .join(hello::stream::wrappers::ReceiverStream::new(rx))
            .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.request_stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!server.is_finished(), "the server waits for its call");
    tx.send(echo("after")).await.unwrap();
    drop(tx);
    let joined = call.await.unwrap().unwrap().into_inner();
    assert_eq!(joined.text, "before after");
    server.finished().await.unwrap();
}
