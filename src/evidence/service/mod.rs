//! The evidence report: per part of the period under one version of the referential, the
//! sessions that started in it, then per indicator its applicability and what each evidence
//! source finds.

pub mod bpf;
mod errors;
mod pdf;
mod report;
pub mod scope;
pub mod sources;

pub use errors::EvidenceError;
pub use pdf::{file_stem, render_report};
pub use report::{EvidenceRules, check_period, report};

pub type Result<T> = std::result::Result<T, EvidenceError>;
