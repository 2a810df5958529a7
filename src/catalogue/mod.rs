//! Catalogue: trainings and their dated versions, rooms, trainers, sessions and their half-day
//! slots, and the public catalogue (Qualiopi ind. 1, 5, 6, 17, 21).

pub mod api;
pub mod model;
pub mod policy;
pub mod service;
mod storage;
pub mod store;
mod synced;
pub mod time;
