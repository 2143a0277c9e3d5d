//! gRPC services defined in Rust, with no `protoc` anywhere.
//!
//! Write messages as plain structs deriving [`prost::Message`], put [`#[hello::service]`](service) on a trait, and get
//! the tonic server and client for it, named as `tonic-build` names them. Derive [`Describe`] beside
//! `prost::Message` and the service also gives its whole schema: descriptors for server reflection, `.proto` text,
//! and a diff against an existing `.proto`.
//!
//! A user's `Cargo.toml` lists `hello` and `prost` (its derive names `::prost`), plus `tokio` to run.
//!
//! # A complete service
//!
//! ```
//! use hello::prelude::*;
//!
//! #[derive(Clone, PartialEq, prost::Message, Describe)]
//! #[describe(package = "greeter.v1")]
//! pub struct Greeting {
//!     #[prost(string, tag = "1")]
//!     pub text: String,
//! }
//!
//! /// `service Greeter` of package `greeter.v1`: one method of each kind.
//! #[hello::service(package = "greeter.v1")]
//! pub trait Greeter {
//!     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status>;
//!
//!     async fn say_thrice(
//!         &self,
//!         request: Request<Greeting>,
//!     ) -> Result<Response<impl Stream<Item = Result<Greeting, Status>>>, Status>;
//!
//!     async fn count(&self, request: Request<Streaming<Greeting>>) -> Result<Response<Greeting>, Status>;
//!
//!     async fn echo(
//!         &self,
//!         request: Request<Streaming<Greeting>>,
//!     ) -> Result<Response<impl Stream<Item = Result<Greeting, Status>>>, Status>;
//! }
//!
//! struct Polite;
//!
//! // The same attribute on the impl lets it copy the trait's signatures verbatim.
//! #[hello::service]
//! impl Greeter for Polite {
//!     async fn say_hello(&self, request: Request<Greeting>) -> Result<Response<Greeting>, Status> {
//!         let text = format!("hello, {}", request.into_inner().text);
//!         Ok(Response::new(Greeting { text }))
//!     }
//!
//!     async fn say_thrice(
//!         &self,
//!         request: Request<Greeting>,
//!     ) -> Result<Response<impl Stream<Item = Result<Greeting, Status>>>, Status> {
//!         Ok(Response::new(hello::stream::iter(vec![Ok(request.into_inner()); 3])))
//!     }
//!
//!     async fn count(&self, request: Request<Streaming<Greeting>>) -> Result<Response<Greeting>, Status> {
//!         let mut stream = request.into_inner();
//!         let mut count = 0;
//!         while stream.message().await?.is_some() {
//!             count += 1;
//!         }
//!         Ok(Response::new(Greeting { text: count.to_string() }))
//!     }
//!
//!     async fn echo(
//!         &self,
//!         request: Request<Streaming<Greeting>>,
//!     ) -> Result<Response<impl Stream<Item = Result<Greeting, Status>>>, Status> {
//!         Ok(Response::new(request.into_inner()))
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     let reflection = hello::reflection::v1(GREETER_SERVICE.file_descriptor_set()?)?;
//!     let server = hello::transport::Server::builder()
//!         .add_service(reflection)
//!         .add_service(greeter_server::GreeterServer::new(Polite));
//!     tokio::spawn(server.serve_with_incoming(hello::transport::TcpIncoming::from(listener)));
//!
//!     let mut client = greeter_client::GreeterClient::connect(format!("http://{addr}")).await?;
//!     let reply = client.say_hello(Greeting { text: "world".into() }).await?;
//!     assert_eq!(reply.into_inner().text, "hello, world");
//!     Ok(())
//! }
//! ```
//!
//! # What is here
//!
//! - [`service`]: the attribute that makes a trait a gRPC service (see its docs for every rule), and
//!   [`Describe`], the derive that gives a message its protobuf schema.
//! - [`prelude`]: what a service definition types, in one `use`.
//! - [`ServiceInfo`]: what the macro understood of a service; its
//!   [`file_descriptor_set`](ServiceInfo::file_descriptor_set) gives the schema.
//! - [`Registry`], [`to_proto_texts`], [`diff`]: descriptors, `.proto` text and the schema diff; [`breaking`]: what
//!   a new schema breaks for the users of an old one, by buf's rules.
//! - [`reflection`]: gRPC server reflection from those descriptors.
//! - [`transport`]: tonic's server and channel, re-exported so a user needs no other dependency.
//! - [`stream`]: streams to answer with (`tokio_stream`).
//!
//! `examples/catalog` is a larger service: every kind of field, all four kinds of RPC, reflection
//! (`cargo run -p hello --example catalog`).
//!
//! # Cargo features
//!
//! - `tls`: TLS for the server and the client (rustls), the TLS types of [`transport`].
//! - `web`: gRPC-Web and Connect beside gRPC on one port, with CORS (the module `hello::web`).
//! - `demo`: the `hello.Hello` RouteGuide demo (the module `hello::demo`) and its `hello-server` and `hello-client`
//!   binaries.

#![deny(missing_docs)]

// The generated code names `::hello`, inside this crate too (the demo).
extern crate self as hello;

/// Turns a trait into a gRPC service, or lets an `impl` of one copy the trait's signatures.
///
/// On a trait: `#[hello::service(package = "my.pkg")]`. The trait's name and the package give the gRPC path
/// `/<package>.<Service>/<Method>`; each method's name in PascalCase gives the method (`say_hello` ->
/// `SayHello`), and the signature gives the kind:
///
/// | request parameter | response | kind |
/// |---|---|---|
/// | `Request<M>` | `Response<M>` | unary |
/// | `Request<M>` | `Response<impl Stream<Item = Result<M, Status>>>` | server streaming |
/// | `Request<Streaming<M>>` | `Response<M>` | client streaming |
/// | `Request<Streaming<M>>` | `Response<impl Stream<Item = Result<M, Status>>>` | bidirectional |
///
/// A streamed response may also be an associated type, as tonic-build's traits have it:
/// `type ListStream: Stream<Item = Result<M, Status>>;`.
///
/// Arguments: `package = "..."`, `name = "..."` (the service's name, default the trait's), `crate = "..."` (the
/// path of this crate, default `::hello`). On a method, `#[rpc(name = "...")]` sets its gRPC name.
///
/// For a trait `Greeter` it generates, beside the trait (each `async fn` returning a `Send` future):
/// - `greeter_server::GreeterServer<T>`, a tower service for any `T: Greeter`, with compression, size limits and
///   interceptors as tonic-build's servers have them;
/// - `greeter_client::GreeterClient<T>`, one method per RPC;
/// - `GREETER_SERVICE`, the [`ServiceInfo`] of the service.
///
/// On an `impl` of such a trait: `#[hello::service]` with no arguments lets each method copy the trait's signature
/// verbatim, `impl Stream<...>` responses included (it adds the `Send + use<..>` bounds the trait has).
///
/// Without it, write each streamed response of the impl `impl Stream<...> + Send + use<>` (`use<T>` in an impl
/// generic over `T`): the trait's stream captures no lifetime, so rustc refuses a copy that captures `&self`'s
/// ("return type captures more lifetimes than trait definition"). Either way a streamed response outlives the
/// call, so it cannot borrow `&self`: move into it what it needs (clone it out of `self` first).
pub use hello_macros::service;

/// Derives [`Describe`] (or [`DescribeOneof`]) beside `prost::Message`, `prost::Enumeration` or `prost::Oneof`,
/// from the same `#[prost(...)]` attributes.
///
/// On the type: `#[describe(package = "my.pkg", name = "Name", value_prefix = "PREFIX_", crate = "...")]`; on a
/// field or variant: `#[describe(name = "proto_name")]`.
pub use hello_macros::Describe;

mod call;
pub mod prelude;
mod prepared;
pub mod reflection;
mod schema;
pub mod serving;
pub mod transport;

pub use prepared::{Prepared, Reply};
pub use schema::describe::{Describe, DescribeOneof, MessageRef, TypeDescriptor};
pub use schema::diff::{SchemaDiff, diff};
pub use schema::proto_text::{to_proto_text, to_proto_texts};
pub use schema::registry::{Registry, SchemaError, file_name};
pub use schema::service_info::{MethodInfo, MethodKind, ServiceInfo};
// The breaking-change gate (`hello::breaking::breaking_changes`) and protobuf's own files (issue 12).
pub use schema::breaking;
pub use schema::describe::Docs;
pub use schema::wkt::is_well_known_file;

/// Streams to answer with: `hello::stream::iter`, `hello::stream::once`, `StreamExt`, and the rest of
/// `tokio_stream`.
pub mod stream {
    pub use tokio_stream::*;
}

#[cfg(feature = "web")]
pub mod web;

#[cfg(feature = "demo")]
pub mod demo;

/// What `#[derive(Describe)]` and `#[service]` expand to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::call::{
        CallConfig, Deadline, RequestWatch, ResponseStream, not_grpc, parse_timeout,
        server_streaming, spec_status, spec_status_of, streamed, unary, within,
    };
    pub use crate::schema::builder::{
        Cardinality, EnumBuilder, FieldType, MessageBuilder, OneofBuilder,
    };
    pub use crate::schema::describe::{NotDescribed, Probe, ProstName};
    pub use prost;
    pub use prost_types;
    pub use prost_types::FieldDescriptorProto;
    pub use tokio_stream;
    pub use tonic;
    pub use tonic_prost;
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
