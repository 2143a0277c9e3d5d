//! `<service>_client::<Service>Client<T>`: one async method per RPC over tonic's `client::Grpc`.

use crate::service::model::{Method, Service};
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(service: &Service) -> TokenStream {
    let (client_mod, client) = (&service.names.client_mod, &service.names.client);
    let vis = &service.vis;
    let krate = &service.crate_path;
    let full_name = &service.full_name;
    let methods = service.methods.iter().map(|m| method(service, m));

    quote! {
        #[doc = concat!("The generated client of the `", #full_name, "` gRPC service.")]
        #vis mod #client_mod {
            #![allow(unused_imports, clippy::all)]
            use super::*;

            #[doc = concat!("A client of `", #full_name, "`.")]
            #[derive(Debug, Clone)]
            pub struct #client<T> {
                inner: #krate::__private::tonic::client::Grpc<T>,
            }

            impl #client<#krate::__private::tonic::transport::Channel> {
                /// Connects to `dst`, such as `"http://127.0.0.1:50051"`.
                pub async fn connect<D>(dst: D) -> ::core::result::Result<Self, #krate::__private::tonic::transport::Error>
                where
                    D: ::core::convert::TryInto<#krate::__private::tonic::transport::Endpoint>,
                    D::Error: ::core::convert::Into<#krate::__private::tonic::codegen::StdError>,
                {
                    let channel = #krate::__private::tonic::transport::Endpoint::new(dst)?.connect().await?;
                    ::core::result::Result::Ok(Self::new(channel))
                }
            }

            impl<T> #client<T>
            where
                T: #krate::__private::tonic::client::GrpcService<#krate::__private::tonic::body::Body>,
                T::Error: ::core::convert::Into<#krate::__private::tonic::codegen::StdError>,
                T::ResponseBody: #krate::__private::tonic::codegen::Body<Data = #krate::__private::tonic::codegen::Bytes> + ::core::marker::Send + 'static,
                <T::ResponseBody as #krate::__private::tonic::codegen::Body>::Error:
                    ::core::convert::Into<#krate::__private::tonic::codegen::StdError> + ::core::marker::Send,
            {
                /// A client over any gRPC transport, such as a `tonic::transport::Channel`.
                pub fn new(inner: T) -> Self {
                    Self { inner: #krate::__private::tonic::client::Grpc::new(inner) }
                }

                /// A client whose requests go to `origin` (scheme and authority) whatever `inner` connects to.
                pub fn with_origin(inner: T, origin: #krate::__private::tonic::codegen::http::Uri) -> Self {
                    Self { inner: #krate::__private::tonic::client::Grpc::with_origin(inner, origin) }
                }

                /// A client that runs `interceptor` on every request before sending it.
                pub fn with_interceptor<F>(
                    inner: T,
                    interceptor: F,
                ) -> #client<#krate::__private::tonic::codegen::InterceptedService<T, F>>
                where
                    F: #krate::__private::tonic::service::Interceptor,
                    T::ResponseBody: ::core::default::Default,
                    T: #krate::__private::tonic::codegen::Service<
                        #krate::__private::tonic::codegen::http::Request<#krate::__private::tonic::body::Body>,
                        Response = #krate::__private::tonic::codegen::http::Response<
                            <T as #krate::__private::tonic::client::GrpcService<#krate::__private::tonic::body::Body>>::ResponseBody,
                        >,
                    >,
                    <T as #krate::__private::tonic::codegen::Service<#krate::__private::tonic::codegen::http::Request<#krate::__private::tonic::body::Body>>>::Error:
                        ::core::convert::Into<#krate::__private::tonic::codegen::StdError> + ::core::marker::Send + ::core::marker::Sync,
                {
                    #client::new(#krate::__private::tonic::codegen::InterceptedService::new(inner, interceptor))
                }

                /// Compresses requests with `encoding`; the server must accept it.
                #[must_use]
                pub fn send_compressed(mut self, encoding: #krate::__private::tonic::codec::CompressionEncoding) -> Self {
                    self.inner = self.inner.send_compressed(encoding);
                    self
                }

                /// Accepts responses compressed with `encoding`.
                #[must_use]
                pub fn accept_compressed(mut self, encoding: #krate::__private::tonic::codec::CompressionEncoding) -> Self {
                    self.inner = self.inner.accept_compressed(encoding);
                    self
                }

                /// Limits the size of a decoded response message (tonic's default: 4 MiB).
                #[must_use]
                pub fn max_decoding_message_size(mut self, limit: ::core::primitive::usize) -> Self {
                    self.inner = self.inner.max_decoding_message_size(limit);
                    self
                }

                /// Limits the size of an encoded request message (tonic's default: `usize::MAX`).
                #[must_use]
                pub fn max_encoding_message_size(mut self, limit: ::core::primitive::usize) -> Self {
                    self.inner = self.inner.max_encoding_message_size(limit);
                    self
                }

                #(#methods)*
            }
        }
    }
}

fn method(service: &Service, method: &Method) -> TokenStream {
    let Method {
        ident,
        name,
        path,
        kind,
        handler,
        input,
        output,
        docs,
        ..
    } = method;
    let krate = &service.crate_path;
    let (input, output) = (&input.from_module, &output.from_module);
    let full_name = &service.full_name;
    let request = if kind.client_streaming() {
        quote!(impl #krate::__private::tonic::IntoStreamingRequest<Message = #input>)
    } else {
        quote!(impl #krate::__private::tonic::IntoRequest<#input>)
    };
    let into_request = if kind.client_streaming() {
        quote!(#krate::__private::tonic::IntoStreamingRequest::into_streaming_request(
            request
        ))
    } else {
        quote!(#krate::__private::tonic::IntoRequest::into_request(request))
    };
    let response = if kind.server_streaming() {
        quote!(#krate::__private::tonic::Streaming<#output>)
    } else {
        quote!(#output)
    };
    quote! {
        #(#docs)*
        pub async fn #ident(
            &mut self,
            request: #request,
        ) -> ::core::result::Result<#krate::__private::tonic::Response<#response>, #krate::__private::tonic::Status> {
            self.inner.ready().await.map_err(|e| {
                #krate::__private::tonic::Status::unavailable(::std::format!(
                    "service was not ready: {}",
                    ::core::convert::Into::<#krate::__private::tonic::codegen::StdError>::into(e),
                ))
            })?;
            let mut request = #into_request;
            request
                .extensions_mut()
                .insert(#krate::__private::tonic::GrpcMethod::new(#full_name, #name));
            let path = #krate::__private::tonic::codegen::http::uri::PathAndQuery::from_static(#path);
            self.inner
                .#handler(request, path, <#krate::__private::tonic_prost::ProstCodec<_, _> as ::core::default::Default>::default())
                .await
        }
    }
}
