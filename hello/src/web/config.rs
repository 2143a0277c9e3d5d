//! [`WebConfig`]: which services get JSON, which browser origins may call, and the message size limit.

use crate::schema::service_info::ServiceInfo;
use prost::Message;
use prost_types::FileDescriptorSet;

/// Default largest message, as gRPC's own default: 4 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 << 20;

/// Which browser origins CORS lets call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// These origins exactly (`https://app.example.com`); none by default.
    List(Vec<String>),
    /// Any origin (`*`).
    Any,
}

/// The configuration of [`layer`](crate::web::layer).
///
/// ```
/// # use hello::prelude::*;
/// # #[derive(Clone, PartialEq, prost::Message, Describe)]
/// # #[describe(package = "greeter.v1")]
/// # pub struct Greeting {}
/// # #[hello::service(package = "greeter.v1")]
/// # pub trait Greeter {
/// #     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status>;
/// # }
/// # fn main() {
/// let config = hello::web::WebConfig::new()
///     .service(&GREETER_SERVICE)
///     .allow_origin("https://app.example.com");
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub(crate) services: Vec<&'static ServiceInfo>,
    pub(crate) sets: Vec<FileDescriptorSet>,
    pub(crate) origins: Origins,
    pub(crate) max_message_size: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            services: Vec::new(),
            sets: Vec::new(),
            origins: Origins::List(Vec::new()),
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }
}

impl WebConfig {
    /// No JSON schema, no CORS origin, 4 MiB messages. gRPC-Web and Connect with protobuf need nothing more.
    pub fn new() -> Self {
        Self::default()
    }

    /// Connect with JSON for this service, from the descriptors its messages' `Describe` gives. A service
    /// whose messages do not derive `Describe` is still served; its JSON requests get an error naming them.
    pub fn service(mut self, service: &'static ServiceInfo) -> Self {
        self.services.push(service);
        self
    }

    /// Connect with JSON for the services of these descriptors too (health, reflection, tonic-build's).
    pub fn file_descriptor_set(mut self, set: FileDescriptorSet) -> Self {
        self.sets.push(set);
        self
    }

    /// As [`file_descriptor_set`](Self::file_descriptor_set), from its encoding (tonic-health's
    /// `FILE_DESCRIPTOR_SET` and the like).
    pub fn encoded_file_descriptor_set(self, bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        Ok(self.file_descriptor_set(FileDescriptorSet::decode(bytes)?))
    }

    /// Lets a page from `origin` (`https://app.example.com`, or `*` for any) call over CORS.
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        let origin = origin.into();
        if origin == "*" {
            self.origins = Origins::Any;
        } else if let Origins::List(list) = &mut self.origins {
            list.push(origin);
        }
        self
    }

    /// Largest message read or written by the Connect side, in bytes, after decompression
    /// (RESOURCE_EXHAUSTED beyond it). The gRPC service's own limits still apply behind it.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }
}
