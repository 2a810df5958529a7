//! Synced tables: the rows devices pull. Each is declared once, with [`synced!`], next to the
//! context that owns its scope rules, and listed once in [`registry`] — which the oracle test
//! walks and checks against the tables the database guards, so a new synced table cannot be
//! forgotten.

use sea_orm::{EntityTrait, IdenStatic};
use uuid::Uuid;

use super::scope::Scope;

/// An entity that devices pull.
pub trait Synced: EntityTrait {
    /// The entity type devices see in `sync_change`.
    const ENTITY_TYPE: &'static str;
    /// The primary key column (a UUID).
    fn id_column() -> Self::Column;
    /// The `BIGINT` version column the stamping helper writes.
    fn version_column() -> Self::Column;
    /// The id of a row.
    fn id_of(model: &Self::Model) -> Uuid;
    /// The scopes that see this row.
    fn scopes(model: &Self::Model) -> Vec<Scope>;
}

/// Declares an entity synced: `synced!(training, "training", |row| vec![…])`. The entity must
/// have `id: Uuid` and `version: i64` columns (the stamping helper reads their names from the
/// entity, not from this macro's caller).
#[macro_export]
macro_rules! synced {
    ($table:ident, $entity_type:literal, |$row:ident| $scopes:expr) => {
        impl $crate::db::synced::Synced for entity::$table::Entity {
            const ENTITY_TYPE: &'static str = $entity_type;
            fn id_column() -> entity::$table::Column {
                entity::$table::Column::Id
            }
            fn version_column() -> entity::$table::Column {
                entity::$table::Column::Version
            }
            fn id_of(model: &entity::$table::Model) -> ::uuid::Uuid {
                model.id
            }
            fn scopes($row: &entity::$table::Model) -> Vec<$crate::db::scope::Scope> {
                $scopes
            }
        }
    };
}

/// A synced table as the stamping helper and the oracle see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncedTable {
    pub table: &'static str,
    pub entity_type: &'static str,
    pub id_column: &'static str,
    pub version_column: &'static str,
}

impl SyncedTable {
    pub fn of<E: Synced>() -> Self {
        Self {
            table: E::default().table_name(),
            entity_type: E::ENTITY_TYPE,
            id_column: E::id_column().as_str(),
            version_column: E::version_column().as_str(),
        }
    }
}

/// Every synced table. A table gets here when it gets its guard triggers
/// (`migration::sync_guard::install`); the oracle test fails when the two lists differ.
pub fn registry() -> Vec<SyncedTable> {
    use entity::*;
    vec![
        SyncedTable::of::<organisation::Entity>(),
        SyncedTable::of::<person::Entity>(),
        SyncedTable::of::<training::Entity>(),
        SyncedTable::of::<room::Entity>(),
        SyncedTable::of::<training_session::Entity>(),
        SyncedTable::of::<slot::Entity>(),
    ]
}
