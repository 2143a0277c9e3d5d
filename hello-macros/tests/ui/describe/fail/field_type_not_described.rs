// A message field whose type does not derive Describe: rustc points at that type.
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Plain {}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p")]
pub struct Holder {
    #[prost(message, optional, tag = "1")]
    pub plain: Option<Plain>,
}

fn main() {}
