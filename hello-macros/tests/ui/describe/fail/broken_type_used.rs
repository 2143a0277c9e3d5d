// A type whose derive fails reports its error once, on itself: the message that uses it compiles on, since the
// derive still implements the trait (a fallback, as thiserror has).
use hello::Describe;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe)]
#[repr(i32)]
pub enum Mood {
    Happy = 1,
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p")]
pub struct Legacy {
    #[prost(int32, required, tag = "1")]
    pub id: i32,
}

#[derive(Clone, PartialEq, prost::Oneof, Describe)]
#[describe(package = "p")]
pub enum Choice {
    #[prost(string, tag = "3")]
    Name(String),
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "p")]
pub struct User {
    #[prost(enumeration = "Mood", tag = "1")]
    pub mood: i32,
    #[prost(message, optional, tag = "2")]
    pub legacy: Option<Legacy>,
    #[prost(oneof = "Choice", tags = "3")]
    pub choice: Option<Choice>,
}

fn main() {
    let _ = <User as Describe>::full_name();
}
