//! Operations: liveness, readiness, metrics; backups and restores.

pub mod api;
pub mod audit;
pub mod backup;
