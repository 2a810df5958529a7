//! Quality's tables: rows built from domain inputs, rows turned into domain types. No rule.

mod complaints;
mod reports;

pub use complaints::*;
pub use reports::*;
