//! HTTP endpoints of the evidence context and their views. No SQL, no rules.

mod report;
mod views;

pub use report::EvidenceApi;
pub use views::*;

/// Evidence's operations.
pub type Apis = EvidenceApi;
