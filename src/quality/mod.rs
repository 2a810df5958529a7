//! The quality records administrators keep for Qualiopi (issue 25): the complaints register
//! (ind. 31), the confidential reports channel (V10 ind. 12), improvement actions (ind. 32),
//! the watch register (ind. 23–25), the risk analysis (V10 ind. 32), surveys (ind. 30) and the
//! published result indicators (ind. 2). Reads
//! enrolment, attendance, documents and clubs; the evidence context reads it.

pub mod api;
pub mod model;
pub mod policy;
pub mod service;
mod store;
mod synced;
