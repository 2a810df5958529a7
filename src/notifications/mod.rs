//! E-mail notifications through an outbox. Contexts record what happened with
//! [`WriteTx::emit`](crate::db::write::WriteTx::emit) in the transaction that made it happen
//! (`crate::db::outbox`); only this context knows what messages an event makes. The sender
//! ([`jobs`]) drafts each event into messages ([`letters`], [`render`]: askama templates, lettre
//! MIME) in one transaction, then delivers them over SMTP ([`transport`]) with retries,
//! back-off and a dead-letter state; a message's bytes (and its `Message-ID`) are fixed when it
//! is drafted, so every attempt sends the same message.

pub mod api;
pub mod errors;
pub mod jobs;
pub mod letters;
pub mod model;
pub mod render;
pub mod service;
mod store;
pub mod transport;
