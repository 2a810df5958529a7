//! Enrolment's tables: rows built from domain inputs, rows turned into domain types. No rule.

mod accommodations;
mod convocations;
mod enrolments;
mod personal;
mod positioning;

pub use accommodations::*;
pub use convocations::*;
pub use enrolments::*;
pub use personal::*;
pub use positioning::*;
