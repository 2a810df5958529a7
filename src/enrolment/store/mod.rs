//! Enrolment's tables: rows built from domain inputs, rows turned into domain types. No rule.

mod accommodations;
mod enrolments;

pub use accommodations::*;
pub use enrolments::*;
