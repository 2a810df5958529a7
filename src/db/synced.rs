//! Synced tables: the rows devices pull. Each is declared once, with [`synced!`], next to the
//! context that owns its scope rules, and listed once in [`registry`] — which the oracle test
//! walks and checks against the tables the database guards, so a new synced table cannot be
//! forgotten.

use std::future::Future;
use std::pin::Pin;

use sea_orm::{DatabaseConnection, DbErr, EntityTrait, IdenStatic};
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

/// A stored row of a synced table as the oracle checks it: its id, its version and the scopes
/// that see it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedRow {
    pub id: Uuid,
    pub version: i64,
    pub scopes: Vec<Scope>,
}

type RowsFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<SyncedRow>, DbErr>> + Send + 'a>>;

/// A synced table as the stamping helper and the oracle see it.
#[derive(Clone, Copy)]
pub struct SyncedTable {
    pub table: &'static str,
    pub entity_type: &'static str,
    pub id_column: &'static str,
    pub version_column: &'static str,
    /// Reads every row of the table (for the oracle and audits; not for request paths).
    pub rows: for<'a> fn(&'a DatabaseConnection) -> RowsFuture<'a>,
}

impl std::fmt::Debug for SyncedTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncedTable")
            .field("table", &self.table)
            .field("entity_type", &self.entity_type)
            .finish_non_exhaustive()
    }
}

fn rows_of<E: Synced>(db: &DatabaseConnection) -> RowsFuture<'_>
where
    E::Model: Sync,
{
    Box::pin(async move {
        Ok(E::find()
            .all(db)
            .await?
            .iter()
            .map(|row| SyncedRow {
                id: E::id_of(row),
                version: version_of::<E>(row),
                scopes: E::scopes(row),
            })
            .collect())
    })
}

fn version_of<E: Synced>(row: &E::Model) -> i64 {
    use sea_orm::ModelTrait;
    match row.get(E::version_column()) {
        sea_orm::Value::BigInt(Some(v)) => v,
        _ => i64::MIN,
    }
}

impl SyncedTable {
    pub fn of<E: Synced>() -> Self
    where
        E::Model: Sync,
    {
        Self {
            table: E::default().table_name(),
            entity_type: E::ENTITY_TYPE,
            id_column: E::id_column().as_str(),
            version_column: E::version_column().as_str(),
            rows: rows_of::<E>,
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
        SyncedTable::of::<enrolment::Entity>(),
        SyncedTable::of::<attendance_mark::Entity>(),
        SyncedTable::of::<slot_signoff::Entity>(),
        SyncedTable::of::<club::Entity>(),
        SyncedTable::of::<club_membership::Entity>(),
        SyncedTable::of::<meeting::Entity>(),
        SyncedTable::of::<meeting_rsvp::Entity>(),
    ]
}
