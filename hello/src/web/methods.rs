//! What the layer knows of each method, by path: the message descriptors JSON needs, whether GET may call it,
//! and, for a service whose messages do not derive `Describe`, why it has no JSON.

use crate::schema::registry::Registry;
use crate::schema::service_info::{MethodKind, ServiceInfo};
use prost_reflect::{DescriptorPool, MessageDescriptor};
use prost_types::FileDescriptorSet;
use prost_types::method_options::IdempotencyLevel;
use std::collections::HashMap;
use tonic::Status;

/// The request and response types of a method, for ProtoJSON.
#[derive(Debug, Clone)]
pub struct JsonTypes {
    pub input: MessageDescriptor,
    pub output: MessageDescriptor,
}

/// One method as the layer serves it.
#[derive(Debug, Clone)]
pub struct MethodSpec {
    /// The message types, or why JSON cannot be had for this method.
    pub json: Result<JsonTypes, String>,
    /// Unary, server streaming, client streaming or bidirectional.
    pub kind: MethodKind,
    /// Marked `idempotency_level = NO_SIDE_EFFECTS`: Connect's GET may call it.
    pub no_side_effects: bool,
}

/// Every method the layer was told of, by HTTP path (`/hello.Hello/GetFeature`).
#[derive(Debug, Default)]
pub struct MethodTable {
    by_path: HashMap<String, MethodSpec>,
}

impl MethodTable {
    /// The table of `services` (from the Rust definitions) and of `sets` (any other descriptors, such as
    /// health's or reflection's). Errors only when the descriptors contradict one another.
    pub fn build(
        services: &[&'static ServiceInfo],
        sets: &[FileDescriptorSet],
    ) -> Result<MethodTable, String> {
        let mut table = MethodTable::default();
        let mut registry = Registry::new();
        let mut described = 0;
        for service in services {
            match undescribed(service) {
                None => {
                    registry.add_service(service);
                    described += 1;
                }
                Some(missing) => table.add_undescribed(service, &missing),
            }
        }
        let mut pool = DescriptorPool::new();
        if described > 0 {
            let set = registry.build().map_err(|e| e.to_string())?;
            pool.add_file_descriptor_set(set)
                .map_err(|e| e.to_string())?;
        }
        for set in sets {
            pool.add_file_descriptor_set(set.clone())
                .map_err(|e| e.to_string())?;
        }
        for service in pool.services() {
            for method in service.methods() {
                let level = method
                    .method_descriptor_proto()
                    .options
                    .as_ref()
                    .map(|o| o.idempotency_level());
                let spec = MethodSpec {
                    json: Ok(JsonTypes {
                        input: method.input(),
                        output: method.output(),
                    }),
                    kind: MethodKind::from_streaming(
                        method.is_client_streaming(),
                        method.is_server_streaming(),
                    ),
                    no_side_effects: level == Some(IdempotencyLevel::NoSideEffects),
                };
                let path = format!("/{}/{}", service.full_name(), method.name());
                table.by_path.entry(path).or_insert(spec);
            }
        }
        Ok(table)
    }

    fn add_undescribed(&mut self, service: &ServiceInfo, missing: &str) {
        for method in service.methods {
            let why = format!(
                "{}: JSON needs the schema of its messages, and {missing}; call it with application/proto \
                 (or gRPC, gRPC-Web), or derive hello::Describe beside prost::Message",
                method.path
            );
            self.by_path.insert(
                method.path.to_owned(),
                MethodSpec {
                    json: Err(why),
                    kind: method.kind,
                    no_side_effects: false,
                },
            );
        }
    }

    /// The method at this path, if the layer was told of it.
    pub fn get(&self, path: &str) -> Option<&MethodSpec> {
        self.by_path.get(path)
    }

    /// The message types for JSON at this path, or the error a JSON request gets.
    pub fn json(&self, path: &str) -> Result<&JsonTypes, Status> {
        match self.by_path.get(path) {
            Some(MethodSpec {
                json: Ok(types), ..
            }) => Ok(types),
            Some(MethodSpec { json: Err(why), .. }) => Err(Status::unimplemented(why.clone())),
            None => Err(Status::unimplemented(format!(
                "{path}: no schema is known for this method, so it cannot be called with JSON \
                 (register its service or descriptors with hello::web::WebConfig; application/proto works)"
            ))),
        }
    }
}

/// `None` when every message of `service` derives `Describe`; else the types that do not, named.
fn undescribed(service: &ServiceInfo) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for method in service.methods {
        if method.input_descriptor.is_none() && !names.contains(&method.input_type) {
            names.push(method.input_type);
        }
        if method.output_descriptor.is_none() && !names.contains(&method.output_type) {
            names.push(method.output_type);
        }
    }
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("`{one}` does not derive hello::Describe")),
        many => Some(format!(
            "{} do not derive hello::Describe",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
