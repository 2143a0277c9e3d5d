//! The generated code names everything by absolute path: it compiles in a module without the prelude.

#![no_implicit_prelude]

mod messages {
    #[derive(Clone, PartialEq, ::prost::Message)]
    pub struct Ping {
        #[prost(string, tag = "1")]
        pub text: ::std::string::String,
    }
}

mod service {
    use super::messages::Ping;
    use ::tokio_stream::Stream;
    use ::tonic::{Request, Response, Status, Streaming};

    #[::hello::service(package = "hygiene")]
    pub trait Pinger {
        async fn ping(
            &self,
            request: Request<Ping>,
        ) -> ::std::result::Result<Response<Ping>, Status>;
        async fn pings(
            &self,
            request: Request<Ping>,
        ) -> ::std::result::Result<
            Response<impl Stream<Item = ::std::result::Result<Ping, Status>>>,
            Status,
        >;
        async fn count(
            &self,
            request: Request<Streaming<Ping>>,
        ) -> ::std::result::Result<Response<Ping>, Status>;
        async fn chat(
            &self,
            request: Request<Streaming<Ping>>,
        ) -> ::std::result::Result<
            Response<impl Stream<Item = ::std::result::Result<Ping, Status>>>,
            Status,
        >;
    }
}

/// An implementation, so the server's `Service` impl and the client are instantiated here too. The attribute on it
/// adds `chat`'s bounds; `pings` writes them itself.
struct Echo;

#[::hello::service]
impl service::Pinger for Echo {
    async fn ping(
        &self,
        request: ::tonic::Request<messages::Ping>,
    ) -> ::std::result::Result<::tonic::Response<messages::Ping>, ::tonic::Status> {
        ::std::result::Result::Ok(::tonic::Response::new(request.into_inner()))
    }

    async fn pings(
        &self,
        request: ::tonic::Request<messages::Ping>,
    ) -> ::std::result::Result<
        ::tonic::Response<
            impl ::tokio_stream::Stream<Item = ::std::result::Result<messages::Ping, ::tonic::Status>>
            + ::std::marker::Send
            + use<>,
        >,
        ::tonic::Status,
    > {
        let once = ::std::result::Result::Ok(request.into_inner());
        ::std::result::Result::Ok(::tonic::Response::new(::tokio_stream::once(once)))
    }

    async fn count(
        &self,
        _request: ::tonic::Request<::tonic::Streaming<messages::Ping>>,
    ) -> ::std::result::Result<::tonic::Response<messages::Ping>, ::tonic::Status> {
        ::std::result::Result::Err(::tonic::Status::unimplemented("count"))
    }

    async fn chat(
        &self,
        request: ::tonic::Request<::tonic::Streaming<messages::Ping>>,
    ) -> ::std::result::Result<
        ::tonic::Response<
            impl ::tokio_stream::Stream<Item = ::std::result::Result<messages::Ping, ::tonic::Status>>,
        >,
        ::tonic::Status,
    > {
        ::std::result::Result::Ok(::tonic::Response::new(request.into_inner()))
    }
}

#[test]
fn compiles_without_the_prelude() {
    let _router = ::tonic::transport::Server::builder()
        .add_service(service::pinger_server::PingerServer::new(Echo));
    let _connect = service::pinger_client::PingerClient::connect("http://[::1]:1");
    ::std::assert_eq!(service::PINGER_SERVICE.methods.len(), 4);
    ::std::assert_eq!(service::pinger_server::SERVICE_NAME, "hygiene.Pinger");
}
