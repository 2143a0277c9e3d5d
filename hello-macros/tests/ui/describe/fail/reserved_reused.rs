// A field or value that takes a reserved number or name is an error on that field or value.
use hello::Describe;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p", reserved(3, 8..=10, "old_name"))]
pub struct Order {
    #[prost(string, tag = "1")]
    pub id: String,
    #[prost(string, tag = "9")]
    pub note: String,
    #[prost(int32, tag = "11")]
    pub old_name: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe)]
#[repr(i32)]
#[describe(package = "p", reserved(2, "LOST"))]
pub enum State {
    Unspecified = 0,
    Lost = 1,
    Found = 2,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p", reserved(5..=3, 1.5))]
pub struct BadRanges {}

fn main() {}
