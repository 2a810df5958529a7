//! Attendance's tables: rows built from domain inputs, rows turned into domain types. No rule.

mod archive;
mod closures;
mod events;
mod followups;
mod marks;
mod retention;
mod signatures;
mod signoffs;

pub use archive::*;
pub use closures::*;
pub use events::*;
pub use followups::*;
pub use marks::*;
pub use retention::*;
pub use signatures::*;
pub use signoffs::*;
