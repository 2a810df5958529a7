//! Accounts: organisations, people and their roles, login and bearer tokens.

pub mod api;
pub mod limiter;
pub mod model;
pub mod password;
pub mod policy;
pub mod service;
pub mod store;
mod synced;
pub mod token;
