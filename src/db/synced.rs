//! Synced tables: the rows devices pull. Each is declared once, with [`synced!`], next to the
//! context that owns its scope rules, and listed once in [`registry`] — which the oracle test
//! walks and checks against the tables the database guards, so a new synced table cannot be
//! forgotten.

use std::future::Future;
use std::pin::Pin;

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IdenStatic};
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
    /// Columns devices never receive (secrets).
    fn hidden() -> &'static [&'static str] {
        &[]
    }
}

/// Declares an entity synced: `synced!(training, "training", |row| vec![…])`. The entity must
/// have `id: Uuid` and `version: i64` columns (the stamping helper reads their names from the
/// entity, not from this macro's caller).
#[macro_export]
macro_rules! synced {
    ($table:ident, $entity_type:literal, hide [$($hidden:literal),*], |$row:ident| $scopes:expr) => {
        $crate::synced!(@impl $table, $entity_type, [$($hidden),*], |$row| $scopes);
    };
    ($table:ident, $entity_type:literal, |$row:ident| $scopes:expr) => {
        $crate::synced!(@impl $table, $entity_type, [], |$row| $scopes);
    };
    (@impl $table:ident, $entity_type:literal, [$($hidden:literal),*], |$row:ident| $scopes:expr) => {
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
            fn hidden() -> &'static [&'static str] {
                &[$($hidden),*]
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

/// A row as a device receives it: its version, the scopes that see it now and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRow {
    pub id: Uuid,
    pub version: i64,
    pub scopes: Vec<Scope>,
    pub data: serde_json::Map<String, serde_json::Value>,
}

type LoadFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<DeviceRow>, DbErr>> + Send + 'a>>;

/// A synced table as the stamping helper and the oracle see it.
#[derive(Clone, Copy)]
pub struct SyncedTable {
    pub table: &'static str,
    pub entity_type: &'static str,
    pub id_column: &'static str,
    pub version_column: &'static str,
    /// Reads every row of the table (for the oracle and audits; not for request paths).
    pub rows: for<'a> fn(&'a DatabaseConnection) -> RowsFuture<'a>,
    /// Reads the rows with these ids as devices receive them (the pull).
    pub load: for<'a> fn(&'a DatabaseTransaction, Vec<Uuid>) -> LoadFuture<'a>,
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

fn load_of<E: Synced>(db: &DatabaseTransaction, ids: Vec<Uuid>) -> LoadFuture<'_>
where
    E::Model: Sync,
{
    use sea_orm::{ColumnTrait, Iterable, ModelTrait, QueryFilter};
    Box::pin(async move {
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let models = E::find()
                .filter(E::id_column().is_in(chunk.iter().copied()))
                .all(db)
                .await?;
            for model in models {
                let mut data = serde_json::Map::new();
                for column in E::Column::iter() {
                    let name = column.as_str();
                    if !E::hidden().contains(&name) {
                        data.insert(name.to_owned(), json_of(&model.get(column)));
                    }
                }
                rows.push(DeviceRow {
                    id: E::id_of(&model),
                    version: version_of::<E>(&model),
                    scopes: E::scopes(&model),
                    data,
                });
            }
        }
        Ok(rows)
    })
}

/// A column's value as JSON: times in RFC 3339 (UTC, milliseconds), dates in ISO 8601.
fn json_of(value: &sea_orm::Value) -> serde_json::Value {
    use sea_orm::Value as V;
    match value {
        V::ChronoDateTimeUtc(Some(at)) => {
            serde_json::Value::String(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        }
        V::ChronoDateTimeWithTimeZone(Some(at)) => serde_json::Value::String(
            at.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ),
        V::ChronoDate(Some(date)) => serde_json::Value::String(date.to_string()),
        V::ChronoTime(Some(time)) => serde_json::Value::String(time.to_string()),
        V::Uuid(Some(id)) => serde_json::Value::String(id.to_string()),
        V::Bytes(Some(bytes)) => serde_json::Value::String(hex::encode(bytes.as_slice())),
        other => sea_orm::sea_query::sea_value_to_json_value(other),
    }
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
            load: load_of::<E>,
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
        SyncedTable::of::<sync_conflict::Entity>(),
    ]
}
