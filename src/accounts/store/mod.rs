//! sea-orm queries of the accounts context: rows in, domain types out. People and organisations
//! are synced: they are written only through [`crate::db::write::WriteTx`].

mod organisations;
mod people;
mod tokens;

pub use organisations::*;
pub use people::*;
pub use tokens::*;
