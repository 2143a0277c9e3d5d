mod messages {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Ping {}
}

pub mod api {
    pub mod v1 {
        use crate::messages::Ping;
        use tonic::{Request, Response, Status};

        #[hello::service(package = "api.v1")]
        pub trait Pinger {
            async fn ping(&self, request: Request<Ping>) -> Result<Response<Ping>, Status>;
            async fn ping_by_path(
                &self,
                request: Request<super::super::messages::Ping>,
            ) -> Result<Response<crate::messages::Ping>, Status>;
        }
    }
}

struct Server;

impl api::v1::Pinger for Server {
    async fn ping(
        &self,
        request: tonic::Request<messages::Ping>,
    ) -> Result<tonic::Response<messages::Ping>, tonic::Status> {
        Ok(tonic::Response::new(request.into_inner()))
    }

    async fn ping_by_path(
        &self,
        request: tonic::Request<messages::Ping>,
    ) -> Result<tonic::Response<messages::Ping>, tonic::Status> {
        Ok(tonic::Response::new(request.into_inner()))
    }
}

fn main() {
    let _server = api::v1::pinger_server::PingerServer::new(Server);
    assert_eq!(api::v1::PINGER_SERVICE.full_name, "api.v1.Pinger");
}
