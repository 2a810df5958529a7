//! Personal data (GDPR Art. 15, 17, 20): a person's export of everything Passerelle holds about
//! them, and their erasure. It owns no table: each context below says what it holds about a
//! person and what erasure does to it (its `personal_data` and `erase_personal_data`); this
//! context decides who may ask and puts the answers together, the erasure in one transaction.

pub mod api;
pub mod policy;
pub mod retention;
pub mod service;
