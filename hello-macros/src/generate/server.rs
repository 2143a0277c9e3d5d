//! `<service>_server::<Service>Server<T>`: a tower `Service` routing each path to the trait's method.
//!
//! Each route hands tonic's `Grpc` a closure that returns the trait method's own future (tonic implements
//! its `*Service` traits for any tower `Service` of the right shape), so the only box per call is the
//! route future that `Service::Future` must name.
//!
//! Around each call, the runtime's `__private::{within, streamed}` keep the call to the client's deadline
//! (DEADLINE_EXCEEDED) and give tonic's size-limit error the code the gRPC spec gives (RESOURCE_EXHAUSTED);
//! see hello/src/call.rs and RELIABILITY.md.

use crate::service::model::{Kind, Method, Service};
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(service: &Service) -> TokenStream {
    let (server_mod, server) = (&service.names.server_mod, &service.names.server);
    let trait_ident = &service.names.trait_ident;
    let vis = &service.vis;
    let krate = &service.crate_path;
    let full_name = &service.full_name;
    let routes = service.methods.iter().map(|m| route(service, m));
    let doc = format!("The server of `{full_name}`: serves any `T: {trait_ident}`.");
    let adapter = route_adapter(krate);

    quote! {
        #[doc = concat!("The generated server of the `", #full_name, "` gRPC service.")]
        #vis mod #server_mod {
            #![allow(unused_imports, clippy::all)]
            use super::*;

            #[doc = concat!("The fully qualified name of the service, `", #full_name, "`.")]
            pub const SERVICE_NAME: &::core::primitive::str = #full_name;

            #adapter

            #[doc = #doc]
            #[derive(Debug)]
            pub struct #server<T> {
                inner: ::std::sync::Arc<T>,
                config: #krate::__private::CallConfig,
            }

            impl<T> #server<T> {
                /// Serves `inner`.
                pub fn new(inner: T) -> Self {
                    Self::from_arc(::std::sync::Arc::new(inner))
                }

                /// Serves a value already shared.
                pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
                    Self {
                        inner,
                        config: ::core::default::Default::default(),
                    }
                }

                /// Serves `inner`, running `interceptor` on every request first.
                pub fn with_interceptor<F>(
                    inner: T,
                    interceptor: F,
                ) -> #krate::__private::tonic::codegen::InterceptedService<Self, F>
                where
                    F: #krate::__private::tonic::service::Interceptor,
                {
                    #krate::__private::tonic::codegen::InterceptedService::new(Self::new(inner), interceptor)
                }

                /// Accepts requests compressed with `encoding`.
                #[must_use]
                pub fn accept_compressed(mut self, encoding: #krate::__private::tonic::codec::CompressionEncoding) -> Self {
                    self.config.accept.enable(encoding);
                    self
                }

                /// Compresses responses with `encoding` when the client accepts it.
                #[must_use]
                pub fn send_compressed(mut self, encoding: #krate::__private::tonic::codec::CompressionEncoding) -> Self {
                    self.config.send.enable(encoding);
                    self
                }

                /// Limits the size of a decoded request message (tonic's default: 4 MiB).
                #[must_use]
                pub fn max_decoding_message_size(mut self, limit: ::core::primitive::usize) -> Self {
                    self.config.max_decoding = ::core::option::Option::Some(limit);
                    self
                }

                /// Limits the size of an encoded response message (tonic's default: `usize::MAX`).
                #[must_use]
                pub fn max_encoding_message_size(mut self, limit: ::core::primitive::usize) -> Self {
                    self.config.max_encoding = ::core::option::Option::Some(limit);
                    self
                }

                fn grpc<C: #krate::__private::tonic::codec::Codec>(&self, codec: C) -> #krate::__private::tonic::server::Grpc<C> {
                    self.config.grpc(codec)
                }
            }

            impl<T> ::core::clone::Clone for #server<T> {
                fn clone(&self) -> Self {
                    Self {
                        inner: ::core::clone::Clone::clone(&self.inner),
                        config: self.config,
                    }
                }
            }

            impl<T> #krate::__private::tonic::server::NamedService for #server<T> {
                const NAME: &'static ::core::primitive::str = SERVICE_NAME;
            }

            impl<T, B> #krate::__private::tonic::codegen::Service<#krate::__private::tonic::codegen::http::Request<B>> for #server<T>
            where
                T: super::#trait_ident,
                B: #krate::__private::tonic::codegen::Body + ::core::marker::Send + 'static,
                B::Error: ::core::convert::Into<#krate::__private::tonic::codegen::StdError> + ::core::marker::Send + 'static,
            {
                type Response = #krate::__private::tonic::codegen::http::Response<#krate::__private::tonic::body::Body>;
                type Error = ::core::convert::Infallible;
                type Future = #krate::__private::tonic::codegen::BoxFuture<Self::Response, Self::Error>;

                fn poll_ready(
                    &mut self,
                    _cx: &mut ::core::task::Context<'_>,
                ) -> ::core::task::Poll<::core::result::Result<(), Self::Error>> {
                    ::core::task::Poll::Ready(::core::result::Result::Ok(()))
                }

                fn call(&mut self, req: #krate::__private::tonic::codegen::http::Request<B>) -> Self::Future {
                    if let ::core::option::Option::Some(refused) = #krate::__private::not_grpc(req.headers()) {
                        return ::std::boxed::Box::pin(::core::future::ready(::core::result::Result::Ok(refused)));
                    }
                    match req.uri().path() {
                        #(#routes)*
                        _ => ::std::boxed::Box::pin(::core::future::ready(::core::result::Result::Ok(
                            #krate::__private::tonic::Status::unimplemented(::std::format!(
                                "method {} is not served by {}",
                                req.uri().path(),
                                SERVICE_NAME,
                            ))
                            .into_http(),
                        ))),
                    }
                }
            }
        }
    }
}

/// One `match` arm: the path, and the call of the method with tonic's handler for its kind, within the call's
/// deadline and with the status codes the gRPC specification gives (`hello/src/call.rs`).
fn route(service: &Service, method: &Method) -> TokenStream {
    let Method {
        ident,
        path,
        handler,
        ..
    } = method;
    let trait_ident = &service.names.trait_ident;
    let krate = &service.crate_path;
    let call = quote!(<T as super::#trait_ident>::#ident(&inner, request));
    if method.kind == Kind::Unary {
        // Unary calls take the runtime's own path: the request read whole, the answer in one frame.
        return quote! {
            #path => {
                let inner = ::core::clone::Clone::clone(&self.inner);
                let config = self.config;
                ::std::boxed::Box::pin(async move {
                    // The closure borrows `inner` from this future, so the method's future needs no box.
                    ::core::result::Result::Ok(#krate::__private::unary(config, req, |request| #call).await)
                })
            }
        };
    }
    if method.kind == Kind::ServerStreaming {
        // Server-streaming calls too: the request read whole, the response stream encoded straight into chunks.
        return quote! {
            #path => {
                let inner = ::core::clone::Clone::clone(&self.inner);
                let config = self.config;
                ::std::boxed::Box::pin(async move {
                    ::core::result::Result::Ok(#krate::__private::server_streaming(config, req, |deadline, request| {
                        #krate::__private::streamed(deadline, #call)
                    }).await)
                })
            }
        };
    }
    let call = if method.kind.server_streaming() {
        // A response stream ends at the deadline too, and its statuses are mapped as the spec says.
        quote!(#krate::__private::streamed(deadline, #call))
    } else {
        call
    };
    // A bidirectional call's headers go out as soon as its handler waits for requests (hello/src/call/watch.rs).
    let (watch, watching) = if method.kind == Kind::Bidirectional {
        let watch = quote! {
            let watch = #krate::__private::RequestWatch::new();
            let req = req.map(|body| watch.body(body));
        };
        (watch, quote!(.watching(watch)))
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    quote! {
        #path => {
            let inner = ::core::clone::Clone::clone(&self.inner);
            let mut grpc = self.grpc(<#krate::__private::tonic_prost::ProstCodec<_, _> as ::core::default::Default>::default());
            let deadline = #krate::__private::Deadline::from_headers(req.headers());
            #watch
            ::std::boxed::Box::pin(async move {
                // The closure borrows `inner` from this future, so the method's future needs no box.
                let method = __Route(|request| #call);
                ::core::result::Result::Ok(#krate::__private::within(deadline, grpc.#handler(method, req))#watching.await)
            })
        }
    }
}

/// The adapter that makes a closure a tower `Service`, emitted once per server module.
fn route_adapter(krate: &syn::Path) -> TokenStream {
    quote! {
        /// A closure as a tower `Service`, so tonic's blanket `*Service` impls accept it.
        struct __Route<F>(F);

        impl<F, Req, Fut, Res> #krate::__private::tonic::codegen::Service<Req> for __Route<F>
        where
            F: ::core::ops::FnMut(Req) -> Fut,
            Fut: ::core::future::Future<Output = ::core::result::Result<Res, #krate::__private::tonic::Status>>,
        {
            type Response = Res;
            type Error = #krate::__private::tonic::Status;
            type Future = Fut;

            fn poll_ready(
                &mut self,
                _cx: &mut ::core::task::Context<'_>,
            ) -> ::core::task::Poll<::core::result::Result<(), Self::Error>> {
                ::core::task::Poll::Ready(::core::result::Result::Ok(()))
            }

            fn call(&mut self, request: Req) -> Fut {
                (self.0)(request)
            }
        }
    }
}
