//! Enrolment: a person takes a seat in a published session, or a place on its waitlist; the
//! price is fixed when they enrol; cancelling frees the seat for the first person waiting, in the
//! same transaction. Seats are counted by the catalogue (`seats_taken` on the session), which
//! this context changes only through `catalogue::service::{lock_for_seats, take_seat,
//! release_seat}`.

pub mod api;
pub mod model;
pub mod policy;
pub mod service;
mod store;
pub mod synced;
