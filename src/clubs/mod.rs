//! Clubs métiers: peer clubs of one trade, their members and animators, meetings with RSVPs and
//! attendance (the attendance context's marks, `activity_kind = meeting`), minutes and
//! resources, and the activity figures administrators report. Outside the Qualiopi and BPF
//! scope unless an administrator flags a meeting.

pub mod api;
pub mod model;
pub mod policy;
pub mod service;
mod store;
mod synced;
