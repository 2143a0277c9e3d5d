// A field whose type comes from another crate and does not describe itself: the error names the type and the ways
// out (a well-known type, a derive on a type of your own, a wrapper message).
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p")]
pub struct Holder {
    #[prost(message, optional, tag = "1")]
    pub api: Option<hello::__private::prost_types::Api>,
}

fn main() {}
