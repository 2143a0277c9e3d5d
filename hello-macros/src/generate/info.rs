//! `<SERVICE>_SERVICE`: the model as `'static` data, for schema checks, descriptors and reflection.

use crate::describe::docs::doc_text;
use crate::describe_probe::message_descriptor;
use crate::service::model::Service;
use proc_macro2::TokenStream;
use quote::quote;

pub fn generate(service: &Service) -> TokenStream {
    let krate = &service.crate_path;
    let vis = &service.vis;
    let info = &service.names.info;
    let (package, name, full_name) = (&service.package, &service.name, &service.full_name);
    let methods = service.methods.iter().map(|method| {
        let kind = &method.kind_variant;
        let (name, path) = (&method.name, &method.path);
        let rust_name = method.ident.to_string();
        let (input, output) = (&method.input.text, &method.output.text);
        let input_descriptor = message_descriptor(krate, &method.input.ty);
        let output_descriptor = message_descriptor(krate, &method.output.ty);
        let docs = doc_text(&method.docs);
        let idempotency = quote::format_ident!("{}", method.idempotency.unwrap_or("IdempotencyUnknown"));
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
                docs: #docs,
                idempotency: #krate::__private::prost_types::method_options::IdempotencyLevel::#idempotency,
            }
        }
    });
    let doc = format!("What the `{full_name}` service is: its package, name and methods.");
    let service_docs = &service.docs;
    quote! {
        #[doc = #doc]
        #vis const #info: #krate::ServiceInfo = #krate::ServiceInfo {
            package: #package,
            name: #name,
            full_name: #full_name,
            methods: &[#(#methods),*],
            docs: #service_docs,
        };
    }
}
