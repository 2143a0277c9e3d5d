// Doc comments, reserved numbers and names, well-known types (Timestamp, a wrapper as Option<Vec<u8>>) and a
// method taking and returning `()` (google.protobuf.Empty) all compile.
use hello::__private::prost_types;
use hello::prelude::*;

/// An order.
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "shop.v1", reserved(3, 8..=10, 12..14, "old_name"))]
pub struct Order {
    /// Its id.
    #[prost(string, tag = "1")]
    pub id: String,
    #[prost(message, optional, tag = "2")]
    pub placed_at: Option<prost_types::Timestamp>,
    #[prost(message, optional, tag = "4")]
    pub payload: Option<Vec<u8>>,
    #[prost(message, repeated, tag = "5")]
    pub blobs: Vec<Vec<u8>>,
    #[prost(enumeration = "State", tag = "6")]
    pub state: i32,
}

/// Where an order is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe)]
#[repr(i32)]
#[describe(package = "shop.v1", reserved(2, "STATE_LOST"))]
pub enum State {
    /// Not said.
    Unspecified = 0,
    Placed = 1,
}

/// The shop.
#[hello::service(package = "shop.v1")]
pub trait Shop {
    /// Places an order.
    async fn place(&self, request: Request<Order>) -> Result<Response<()>, Status>;
    async fn ping(&self, request: Request<()>) -> Result<Response<()>, Status>;
}

fn main() {
    let set = SHOP_SERVICE.file_descriptor_set_with_source_info().unwrap();
    let file = set.file.last().unwrap();
    let order = &file.message_type[0];
    assert_eq!(order.reserved_name, ["old_name"]);
    assert_eq!(order.reserved_range.len(), 3);
    assert_eq!(order.field[2].type_name(), ".google.protobuf.BytesValue");
    assert_eq!(order.field[3].type_name(), ".google.protobuf.BytesValue");
    assert!(file.dependency.contains(&"google/protobuf/empty.proto".to_string()));
    let comments = file.source_code_info.as_ref().unwrap().location.len();
    // Order, Order.id, Shop, Shop.Place, State, State.UNSPECIFIED.
    assert_eq!(comments, 6);
}
