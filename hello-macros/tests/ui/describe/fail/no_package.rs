// Without `#[describe(package = "...")]`, the package comes from prost::Name, which this type lacks.
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message, Describe)]
pub struct Nameless {
    #[prost(string, tag = "1")]
    pub name: String,
}

fn main() {}
