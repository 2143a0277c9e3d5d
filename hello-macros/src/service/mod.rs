//! The front end: the model of a service, and how it is read from a trait.

pub mod model;
pub mod parse;
pub mod signature;
