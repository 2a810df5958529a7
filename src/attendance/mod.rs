//! Attendance: a mark per half-day and trainee with its signature, the trainer's
//! countersignature per half-day, the history of every change, the hours attended, the checks
//! courts apply to attendance sheets, and closing a session.

pub mod api;
pub mod holidays;
pub mod model;
pub mod policy;
pub mod service;
pub mod signature;
pub mod store;
mod synced;
