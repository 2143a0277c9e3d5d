//! The back end: from the model alone to the emitted items, as tonic-build names them.

mod client;
mod info;
mod server;

use crate::service::model::Service;
use proc_macro2::TokenStream;

/// Everything the macro emits for a trait; `service` holds only the methods that were understood.
pub fn generate(service: &Service) -> TokenStream {
    let mut tokens = service.trait_def.clone();
    if !service.nameable {
        return tokens; // reported: the server and client could not name the trait
    }
    tokens.extend(info::generate(service));
    tokens.extend(server::generate(service));
    tokens.extend(client::generate(service));
    tokens
}
