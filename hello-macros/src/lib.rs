//! Proc macros of `hello`: `#[service]` turns a Rust trait into a tonic gRPC server and client (and lets an impl of
//! the trait copy its signatures); `#[derive(Describe)]` gives a prost message its protobuf schema.
//!
//! Use them through `hello`, which re-exports them beside the types the generated code names.

mod args;
mod errors;
mod expand;
mod generate;
mod naming;
mod service;

use proc_macro::TokenStream;

/// Turns a trait into a gRPC service: see the `hello` crate for the rules and an example.
///
/// Arguments: `package = "my.pkg"`, `name = "Service"` (default: the trait's name),
/// `crate = "::hello"` (where the generated code finds `ServiceInfo`).
/// On a method, `#[rpc(name = "MethodName")]` sets its gRPC name (default: its name in PascalCase).
///
/// On an `impl` of such a trait, without arguments: each method may copy the trait's signature verbatim.
#[proc_macro_attribute]
pub fn service(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::service(args.into(), item.into()).into()
}

mod describe;
mod describe_probe;

/// Derives `hello::Describe` (or `DescribeOneof`) beside `prost::Message`, `prost::Enumeration` or
/// `prost::Oneof`, from the same `#[prost(...)]` attributes: see `hello::Describe`.
///
/// On the type: `#[describe(package = "my.pkg", name = "Name", value_prefix = "PREFIX_", crate = "...")]`;
/// on a field or variant: `#[describe(name = "proto_name")]`.
#[proc_macro_derive(Describe, attributes(describe))]
pub fn derive_describe(input: TokenStream) -> TokenStream {
    describe::derive(input.into()).into()
}
