//! From the model to tokens: the trait, the server, the client and the service's metadata.

mod client;
mod info;
mod server;
mod trait_def;

use crate::naming::snake_case;
use crate::service::model::Service;
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::{Ident, ItemTrait};

/// The names of the generated items, as tonic-build names them.
pub struct Names {
    pub trait_ident: Ident,
    pub server_mod: Ident,
    pub server: Ident,
    pub client_mod: Ident,
    pub client: Ident,
    pub info: Ident,
}

impl Names {
    fn new(service: &Service) -> Self {
        // `r#Foo` names modules `foo_server`, not the invalid `r#_foo_server`.
        let trait_name = service.trait_ident.unraw().to_string();
        let snake = snake_case(&trait_name);
        let ident = |name: String| Ident::new(&name, Span::call_site());
        Self {
            trait_ident: service.trait_ident.clone(),
            server_mod: ident(format!("{snake}_server")),
            server: ident(format!("{trait_name}Server")),
            client_mod: ident(format!("{snake}_client")),
            client: ident(format!("{trait_name}Client")),
            info: ident(info_name(&snake)),
        }
    }
}

/// `hello` -> `HELLO_SERVICE`; a trait already named `...Service` is not suffixed twice.
fn info_name(snake: &str) -> String {
    let upper = snake.to_uppercase();
    if upper == "SERVICE" || upper.ends_with("_SERVICE") {
        upper
    } else {
        format!("{upper}_SERVICE")
    }
}

/// Everything the macro emits for a trait; `service` holds only the methods that were understood.
pub fn generate(item: &ItemTrait, service: &Service) -> TokenStream {
    let mut tokens = trait_def::generate(item);
    if !item.generics.params.is_empty() {
        return tokens; // reported: the server and client could not name the trait
    }
    let names = Names::new(service);
    tokens.extend(info::generate(service, &names));
    tokens.extend(server::generate(service, &names));
    tokens.extend(client::generate(service, &names));
    tokens
}
