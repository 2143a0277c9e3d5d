// proto2 features prost accepts but a proto3 descriptor cannot say: a clear "not supported yet" each.
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "legacy")]
pub struct Legacy {
    #[prost(int32, required, tag = "1")]
    pub id: i32,
    #[prost(string, optional, tag = "2", default = "none")]
    pub label: Option<String>,
}

fn main() {}
