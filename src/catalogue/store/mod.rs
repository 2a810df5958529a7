//! sea-orm queries of the catalogue: domain inputs in, domain types out. Trainings, rooms,
//! sessions and slots are synced: written only through [`crate::db::write::WriteTx`].

mod calendars;
mod rooms;
mod session_writes;
mod sessions;
mod slots;
mod trainers;
mod trainings;

pub use calendars::*;
pub use rooms::*;
pub use session_writes::*;
pub use sessions::*;
pub use slots::*;
pub use trainers::*;
pub use trainings::*;

use sea_orm::DbErr;

use super::storage::StorageError;

/// A stored programme that cannot be read is a fault of the database, not of the request.
fn storage(error: StorageError) -> DbErr {
    DbErr::Json(error.to_string())
}
