//! The messages of `catalog.v1`, written as plain structs: between them, every kind of protobuf field.

use hello::Describe;
use std::collections::HashMap;

/// How a book is made (`enum Format`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration, Describe,
)]
#[repr(i32)]
#[describe(package = "catalog.v1", value_prefix = "FORMAT_")]
pub enum Format {
    Unspecified = 0,
    Hardcover = 1,
    Paperback = 2,
    Ebook = 3,
}

/// A book of the catalog (`message Book`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Book {
    #[prost(fixed64, tag = "1")]
    pub isbn: u64,
    #[prost(string, tag = "2")]
    pub title: String,
    /// Repeated strings, never packed.
    #[prost(string, repeated, tag = "3")]
    pub authors: Vec<String>,
    /// Negative before the common era: a zigzag-encoded `sint32`.
    #[prost(sint32, tag = "4")]
    pub year: i32,
    #[prost(uint32, tag = "5")]
    pub pages: u32,
    #[prost(float, tag = "6")]
    pub rating: f32,
    #[prost(double, tag = "7")]
    pub price: f64,
    #[prost(enumeration = "Format", tag = "8")]
    pub format: i32,
    /// A message field.
    #[prost(message, optional, tag = "9")]
    pub shelf: Option<Shelf>,
    /// `optional string`: absent is not the same as empty.
    #[prost(string, optional, tag = "10")]
    pub subtitle: Option<String>,
    /// Repeated scalars, packed (proto3's default).
    #[prost(uint32, repeated, tag = "11")]
    pub chapter_pages: Vec<u32>,
    #[prost(bytes = "vec", tag = "12")]
    pub cover: Vec<u8>,
    #[prost(map = "string, uint32", tag = "13")]
    pub copies_by_branch: HashMap<String, u32>,
    #[prost(oneof = "book::Status", tags = "14, 15")]
    pub status: Option<book::Status>,
}

/// The oneof of `Book`, in the module prost names after the message.
pub mod book {
    /// Where the book is (`oneof status`).
    #[derive(Clone, PartialEq, prost::Oneof, hello::Describe)]
    pub enum Status {
        #[prost(bool, tag = "14")]
        OnShelf(bool),
        #[prost(message, tag = "15")]
        OnLoan(super::Loan),
    }
}

/// Where a book stands (`message Shelf`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Shelf {
    #[prost(string, tag = "1")]
    pub room: String,
    #[prost(uint32, tag = "2")]
    pub row: u32,
}

/// Who has a book, and until when (`message Loan`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Loan {
    #[prost(string, tag = "1")]
    pub borrower: String,
    /// Seconds since the Unix epoch.
    #[prost(int64, tag = "2")]
    pub due_unix: i64,
    #[prost(int32, tag = "3")]
    pub renewals: i32,
    /// Negative when returned early.
    #[prost(sfixed32, tag = "4")]
    pub days_late: i32,
    #[prost(sint64, tag = "5")]
    pub fine_cents: i64,
}

/// Which book (`message BookRequest`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct BookRequest {
    #[prost(fixed64, tag = "1")]
    pub isbn: u64,
}

/// What to search for (`message Query`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Query {
    /// Found in the title or an author's name, ignoring case.
    #[prost(string, tag = "1")]
    pub text: String,
    /// Repeated enum values (packed); none means any format.
    #[prost(enumeration = "Format", repeated, tag = "2")]
    pub formats: Vec<i32>,
    #[prost(uint32, optional, tag = "3")]
    pub max_results: Option<u32>,
}

/// What a donation added (`message Receipt`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct Receipt {
    #[prost(uint64, tag = "1")]
    pub accepted: u64,
    #[prost(int64, tag = "2")]
    pub total_pages: i64,
    #[prost(sfixed64, tag = "3")]
    pub ledger_entry: i64,
    /// A checksum of the ISBNs accepted, to compare with the donor's list.
    #[prost(fixed32, tag = "4")]
    pub checksum: u32,
    /// Repeated scalars, not packed: each one its own tagged field on the wire.
    #[prost(fixed64, repeated, packed = "false", tag = "5")]
    pub isbns: Vec<u64>,
}

/// A borrower asking for a book (`message CheckoutRequest`).
#[derive(Clone, PartialEq, prost::Message, Describe)]
#[describe(package = "catalog.v1")]
pub struct CheckoutRequest {
    #[prost(fixed64, tag = "1")]
    pub isbn: u64,
    #[prost(string, tag = "2")]
    pub borrower: String,
}
