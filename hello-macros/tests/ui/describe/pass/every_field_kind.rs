//! Every field kind Describe takes, and the descriptor it gives: scalars, optional, repeated (packed or not), a
//! nested message, an enumeration, a map and a oneof.

use hello::Describe;
use std::collections::HashMap;

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1")]
pub struct Price {
    #[prost(int64, tag = "1")]
    pub cents: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe)]
#[repr(i32)]
#[describe(package = "shop.v1", value_prefix = "COLOR_")]
pub enum Color {
    Unspecified = 0,
    DeepRed = 1,
}

#[derive(Clone, PartialEq, prost::Oneof, Describe)]
pub enum Code {
    #[prost(string, tag = "8")]
    Sku(String),
    #[prost(message, tag = "9")]
    HttpLink(Price),
}

#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1")]
pub struct Item {
    #[prost(string, tag = "1")]
    pub r#type: String,
    #[prost(string, optional, tag = "2")]
    pub note: Option<String>,
    #[prost(uint32, repeated, tag = "3")]
    pub sizes: Vec<u32>,
    #[prost(string, repeated, tag = "4")]
    pub tags: Vec<String>,
    #[prost(message, optional, tag = "5")]
    pub price: Option<Price>,
    #[prost(enumeration = "Color", tag = "6")]
    pub color: i32,
    #[prost(map = "string, message", tag = "7")]
    pub stock: HashMap<String, Price>,
    #[prost(oneof = "Code", tags = "8, 9")]
    pub code: Option<Code>,
}

fn main() {
    assert_eq!(<Item as Describe>::full_name(), "shop.v1.Item");
    let item = <Item as Describe>::descriptor();
    let message = item.as_message().expect("a message");
    let names: Vec<_> = message.field.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        ["type", "note", "sizes", "tags", "price", "color", "stock", "sku", "http_link"]
    );
    let color = <Color as Describe>::descriptor();
    let values: Vec<_> = color.as_enum().expect("an enum").value.iter().map(|v| v.name()).collect();
    assert_eq!(values, ["COLOR_UNSPECIFIED", "COLOR_DEEP_RED"]);
    let mut registry = hello::Registry::new();
    registry.add::<Item>();
    registry.build().expect("the schema builds");
}
