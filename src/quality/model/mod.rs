//! The quality records' domain types, one file per register.

pub mod actions;
pub mod risks;
pub mod watch;
