//! Operations: liveness, readiness, metrics.

pub mod api;
