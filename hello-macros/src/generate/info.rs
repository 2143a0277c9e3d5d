//! `<SERVICE>_SERVICE`: the model as `'static` data, for schema checks, descriptors and reflection.

use super::Names;
use crate::describe_probe::message_descriptor;
use crate::service::model::{Kind, Service};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

pub fn generate(service: &Service, names: &Names) -> TokenStream {
    let krate = &service.crate_path;
    let vis = &service.vis;
    let info = &names.info;
    let (package, name, full_name) = (&service.package, &service.name, service.full_name());
    let methods = service.methods.iter().map(|method| {
        let kind = match method.kind {
            Kind::Unary => quote!(Unary),
            Kind::ServerStreaming => quote!(ServerStreaming),
            Kind::ClientStreaming => quote!(ClientStreaming),
            Kind::Bidirectional => quote!(Bidirectional),
        };
        let name = &method.name;
        let rust_name = method.ident.to_string();
        let path = format!("/{full_name}/{name}");
        let input = type_name(&method.input);
        let output = type_name(&method.output);
        let input_descriptor = message_descriptor(krate, &method.input);
        let output_descriptor = message_descriptor(krate, &method.output);
        quote! {
            #krate::MethodInfo {
                name: #name,
                rust_name: #rust_name,
                path: #path,
                kind: #krate::MethodKind::#kind,
                input_type: #input,
                output_type: #output,
                input_descriptor: #input_descriptor,
                output_descriptor: #output_descriptor,
            }
        }
    });
    let doc = format!("What the `{full_name}` service is: its package, name and methods.");
    quote! {
        #[doc = #doc]
        #vis const #info: #krate::ServiceInfo = #krate::ServiceInfo {
            package: #package,
            name: #name,
            full_name: #full_name,
            methods: &[#(#methods),*],
        };
    }
}

/// The type as written, without the spaces that token printing puts around `::`.
fn type_name(ty: &syn::Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}
