//! sea-orm entities, one file per table. No business logic lives here.

pub mod auth_token;
pub mod organisation;
pub mod person;
pub mod person_role;
pub mod sync_change;
pub mod sync_space;
