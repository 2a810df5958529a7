//! The rules of the quality records. Writes take the caller's [`WriteTx`]; reads a connection.

mod complaints;
mod errors;
mod reports;

pub use complaints::*;
pub use errors::QualityError;
pub use reports::*;

pub type Result<T> = std::result::Result<T, QualityError>;

#[allow(unused_imports)]
use crate::db::write::WriteTx;
