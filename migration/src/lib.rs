//! Schema migrations: one change per file, portable builders, a working `down` for each.
//! Never imports `entity`: a migration is frozen at the schema it was written for.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_sync_space;
mod m20261125_000002_create_sync_change;
mod m20261125_000003_create_organisation;
mod m20261125_000004_create_person;
mod m20261125_000005_create_person_role;
mod m20261125_000006_create_auth_token;
pub mod sync_guard;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_sync_space::Migration),
            Box::new(m20261125_000002_create_sync_change::Migration),
            Box::new(m20261125_000003_create_organisation::Migration),
            Box::new(m20261125_000004_create_person::Migration),
            Box::new(m20261125_000005_create_person_role::Migration),
            Box::new(m20261125_000006_create_auth_token::Migration),
        ]
    }
}
