//! Operations: liveness, readiness, metrics; backups and restores.

pub mod api;
pub mod backup;
