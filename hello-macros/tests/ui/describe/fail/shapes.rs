// Shapes Describe does not take: a tuple struct, a oneof with a package, a generic message.
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p")]
pub struct Tuple(#[prost(string, tag = "1")] pub String);

#[derive(Clone, PartialEq, prost::Oneof, Describe)]
#[describe(package = "p")]
pub enum Choice {
    #[prost(string, tag = "1")]
    Name(String),
}

#[derive(Clone, PartialEq, Describe)]
#[describe(package = "p")]
pub struct Generic<T> {
    pub value: T,
}

fn main() {}
