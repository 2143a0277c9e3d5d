// Unknown and malformed `#[describe(...)]` options, all reported at once.
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(pakage = "hello")]
pub struct Typo {
    #[prost(string, tag = "1")]
    pub name: String,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "hello..v1", name = "9lives", value_prefix = "X_")]
pub struct BadNames {
    #[prost(string, tag = "1")]
    #[describe(name = "not-an-ident", json = "x")]
    pub name: String,
}

fn main() {}
