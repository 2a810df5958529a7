//! The evidence report: per part of the period under one version of the referential, the
//! sessions that started in it, then per indicator its applicability and what each evidence
//! source finds.

mod errors;
mod report;
mod scope;
pub mod sources;

pub use errors::EvidenceError;
pub use report::{EvidenceRules, report};

pub type Result<T> = std::result::Result<T, EvidenceError>;
