//! The quality records' domain types, one file per register.

mod complaints;
mod reports;

pub use complaints::*;
pub use reports::*;

pub mod actions;
pub mod risks;
pub mod surveys;
pub mod watch;
