//! A crate outside the workspace, as a new user writes one: `hello` (by path), `prost` and `tokio` are its only
//! dependencies. It defines a service of all four kinds, implements it by copying the trait's signatures under
//! `#[hello::service]`, serves it on 127.0.0.1:0, calls each method with the generated client, and must exit 0.
//!
//! It builds with its own target dir (`target/fresh-crate`), cached between runs and apart from the workspace's
//! lock, and with the workspace's `Cargo.lock`, so the versions are the ones the workspace tested.

use std::path::{Path, PathBuf};
use std::process::Command;

const CARGO_TOML: &str = r#"[package]
name = "fresh-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
hello = { path = "HELLO_DIR" }
prost = "0.14"
tokio = { version = "1", features = ["rt-multi-thread", "macros", "net"] }

# Not a member of the workspace it happens to sit in.
[workspace]
"#;

/// The user's whole program: messages, the service, its implementation, a server and a client.
const MAIN_RS: &str = r#"use hello::prelude::*;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "fresh.v1")]
pub struct Number {
    #[prost(int64, tag = "1")]
    pub value: i64,
}

#[hello::service(package = "fresh.v1")]
pub trait Counter {
    async fn echo(&self, request: Request<Number>) -> Result<Response<Number>, Status>;

    async fn count_to(
        &self,
        request: Request<Number>,
    ) -> Result<Response<impl Stream<Item = Result<Number, Status>>>, Status>;

    async fn sum(&self, request: Request<Streaming<Number>>) -> Result<Response<Number>, Status>;

    async fn double(
        &self,
        request: Request<Streaming<Number>>,
    ) -> Result<Response<impl Stream<Item = Result<Number, Status>>>, Status>;
}

struct Counting;

#[hello::service]
impl Counter for Counting {
    async fn echo(&self, request: Request<Number>) -> Result<Response<Number>, Status> {
        Ok(Response::new(request.into_inner()))
    }

    async fn count_to(
        &self,
        request: Request<Number>,
    ) -> Result<Response<impl Stream<Item = Result<Number, Status>>>, Status> {
        let numbers = (1..=request.into_inner().value).map(|value| Ok(Number { value }));
        Ok(Response::new(hello::stream::iter(numbers)))
    }

    async fn sum(&self, request: Request<Streaming<Number>>) -> Result<Response<Number>, Status> {
        let mut numbers = request.into_inner();
        let mut value = 0;
        while let Some(n) = numbers.message().await? {
            value += n.value;
        }
        Ok(Response::new(Number { value }))
    }

    async fn double(
        &self,
        request: Request<Streaming<Number>>,
    ) -> Result<Response<impl Stream<Item = Result<Number, Status>>>, Status> {
        let doubled = request.into_inner().map(|n| {
            Ok(Number {
                value: 2 * n?.value,
            })
        });
        Ok(Response::new(doubled))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let reflection = hello::reflection::v1(COUNTER_SERVICE.file_descriptor_set()?)?;
    let server = hello::transport::Server::builder()
        .add_service(reflection)
        .add_service(counter_server::CounterServer::new(Counting));
    tokio::spawn(server.serve_with_incoming(hello::transport::TcpIncoming::from(listener)));

    let mut client = counter_client::CounterClient::connect(format!("http://{addr}")).await?;
    let echoed = client.echo(Number { value: 7 }).await?.into_inner().value;
    let counted: Vec<i64> = client
        .count_to(Number { value: 3 })
        .await?
        .into_inner()
        .map(|n| n.map(|n| n.value))
        .collect::<Result<_, _>>()
        .await?;
    let numbers = || hello::stream::iter([1, 2, 3].map(|value| Number { value }));
    let sum = client.sum(numbers()).await?.into_inner().value;
    let doubled: Vec<i64> = client
        .double(numbers())
        .await?
        .into_inner()
        .map(|n| n.map(|n| n.value))
        .collect::<Result<_, _>>()
        .await?;
    assert_eq!(
        (echoed, counted, sum, doubled),
        (7, vec![1, 2, 3], 6, vec![2, 4, 6])
    );
    println!("echo 7, count_to 3, sum 6, double 2 4 6");
    Ok(())
}
"#;

/// Writes the crate under `CARGO_TARGET_TMPDIR`, rewriting it only when it changed so cargo keeps its cache.
fn write_crate(dir: &Path, hello_dir: &Path) {
    let manifest = CARGO_TOML.replace("HELLO_DIR", &hello_dir.display().to_string());
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for (path, text) in [("Cargo.toml", manifest.as_str()), ("src/main.rs", MAIN_RS)] {
        let path = dir.join(path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text).unwrap();
        }
    }
    // The workspace's versions; cargo drops what the crate does not use and adds the crate itself.
    let workspace_lock = hello_dir.join("../Cargo.lock");
    std::fs::copy(workspace_lock, dir.join("Cargo.lock")).unwrap();
}

#[test]
fn a_crate_outside_the_workspace_serves_a_four_kind_service_whose_impl_copies_the_trait() {
    let hello_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("fresh-crate");
    write_crate(&dir, &hello_dir);
    let target_dir = tmp.parent().unwrap().join("fresh-crate");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--offline"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        output.status.success(),
        "the fresh crate failed ({}):\n{stderr}\n{stdout}",
        output.status
    );
    assert_eq!(stdout, "echo 7, count_to 3, sum 6, double 2 4 6\n");
}
