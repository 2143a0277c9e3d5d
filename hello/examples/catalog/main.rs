//! A second service defined with `hello`: `catalog.v1.Library`, a lending library.
//!
//! Its messages use every kind of protobuf field (each scalar type, bytes, string, an enum, a message, repeated
//! fields packed and not, a map, an optional, a oneof); the service has one RPC of each kind; reflection is served
//! beside it. The run serves on 127.0.0.1:0, calls itself with the generated client, prints what it learned and
//! exits.
//!
//! ```sh
//! cargo run -p hello --example catalog
//! ```

mod library;
mod messages;
mod tour;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for line in tour::run().await? {
        println!("{line}");
    }
    Ok(())
}
