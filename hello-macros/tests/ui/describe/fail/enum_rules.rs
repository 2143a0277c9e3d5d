// An enumeration needs its package (prost::Name is for messages) and proto3 wants 0 first.
use hello::Describe;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe)]
#[repr(i32)]
pub enum NoPackage {
    Zero = 0,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe)]
#[repr(i32)]
#[describe(package = "p")]
pub enum OneFirst {
    One = 1,
    Zero = 0,
}

fn main() {}
