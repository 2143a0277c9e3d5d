//! The front end: the model of a service, how it is read from a trait (parse, then checks), and the edits that
//! let an impl copy the trait's signatures.

pub mod bounds;
pub mod checks;
pub mod edit_impl;
pub mod edit_trait;
pub mod model;
pub mod parse;
pub mod signature;
