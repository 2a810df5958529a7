//! Synced tables: the rows devices pull. Each is declared once, with [`synced!`], next to the
//! context that owns its scope rules, and listed once in [`registry`] — which the oracle test
//! walks and checks against the tables the database guards, so a new synced table cannot be
//! forgotten.
//!
//! A row goes to the devices of every scope that sees it, but not whole to each: a table says,
//! per kind of scope, which columns that scope's readers receive ([`Fields`]) — a session's
//! trainers get the roster of its enrolments (who, and whether they are in), never the price,
//! the funding or the needs the trainee stated. A device that holds several scopes seeing a
//! row receives the columns of any of them. Hidden columns (secrets) go to no scope.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IdenStatic};
use uuid::Uuid;

use super::scope::{Scope, ScopeKind};

/// What the readers of one kind of scope receive of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Every column but the hidden ones (the row's own readers).
    All,
    /// Only these columns (never a hidden one).
    Only(&'static [&'static str]),
}

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
    /// What the readers of a kind of scope receive.
    fn fields(_kind: ScopeKind) -> Fields {
        Fields::All
    }
}

/// Declares an entity synced:
///
/// ```ignore
/// synced!(enrolment, "enrolment", hide["idempotency_key"],
///     fields { Session => ["id", "person_id", "status", "version"] },
///     |row| vec![Scope::Person(row.person_id), Scope::Session(row.session_id)]);
/// ```
///
/// `hide` names columns no device receives; `fields` names, per kind of scope
/// ([`ScopeKind`](crate::db::scope::ScopeKind)), the only columns that scope's readers receive
/// (a kind not named receives every column but the hidden ones); the closure gives the scopes
/// that see a row. The entity must have `id: Uuid` and `version: i64` columns (the stamping
/// helper reads their names from the entity, not from this macro's caller).
#[macro_export]
macro_rules! synced {
    (
        $table:ident, $entity_type:literal
        $(, hide [$($hidden:literal),* $(,)?])?
        $(, fields { $($kind:ident => [$($field:literal),* $(,)?]),* $(,)? })?
        , |$row:ident| $scopes:expr $(,)?
    ) => {
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
                &[$($($hidden),*)?]
            }
            fn fields(kind: $crate::db::scope::ScopeKind) -> $crate::db::synced::Fields {
                #[allow(unreachable_patterns)]
                match kind {
                    $($(
                        $crate::db::scope::ScopeKind::$kind => {
                            $crate::db::synced::Fields::Only(&[$($field),*])
                        }
                    )*)?
                    _ => $crate::db::synced::Fields::All,
                }
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
    /// Reads the rows with these ids, every column devices may receive (the pull, which then
    /// [projects](SyncedTable::project) each row for the scopes that see it).
    pub load: for<'a> fn(&'a DatabaseTransaction, Vec<Uuid>) -> LoadFuture<'a>,
    /// The columns devices may receive: every column but the hidden ones.
    pub columns: fn() -> Vec<&'static str>,
    /// What the readers of each kind of scope receive.
    pub fields: fn(ScopeKind) -> Fields,
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

fn columns_of<E: Synced>() -> Vec<&'static str> {
    use sea_orm::Iterable;
    E::Column::iter()
        .map(|column| column.as_str())
        .filter(|name| !E::hidden().contains(name))
        .collect()
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
            columns: columns_of::<E>,
            fields: E::fields,
        }
    }

    /// The columns the readers of `kind` receive, in the table's order.
    pub fn carried(&self, kind: ScopeKind) -> Vec<&'static str> {
        let columns = (self.columns)();
        match (self.fields)(kind) {
            Fields::All => columns,
            Fields::Only(only) => columns.into_iter().filter(|c| only.contains(c)).collect(),
        }
    }

    /// A loaded row as a device whose scopes include `seen_by` (those that see the row)
    /// receives it: the columns any of them carries.
    pub fn project(&self, row: &mut DeviceRow, seen_by: impl IntoIterator<Item = ScopeKind>) {
        let mut keep: BTreeSet<&str> = BTreeSet::new();
        for kind in seen_by {
            keep.extend(self.carried(kind));
        }
        row.data.retain(|name, _| keep.contains(name.as_str()));
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
        SyncedTable::of::<survey_invitation::Entity>(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_projection_names_columns_its_table_sends_and_keeps_the_id_and_version() {
        for table in registry() {
            let columns = (table.columns)();
            for kind in ScopeKind::ALL {
                let Fields::Only(only) = (table.fields)(kind) else {
                    continue;
                };
                for field in only {
                    assert!(
                        columns.contains(field),
                        "{} for {kind:?} names `{field}`, which is no column it may send",
                        table.entity_type
                    );
                }
                for needed in ["id", "version"] {
                    assert!(
                        only.contains(&needed),
                        "{} for {kind:?} drops `{needed}`",
                        table.entity_type
                    );
                }
            }
        }
    }

    #[test]
    fn a_row_seen_through_two_scopes_carries_the_columns_of_either() {
        let table = registry()
            .into_iter()
            .find(|t| t.entity_type == "enrolment")
            .unwrap();
        let mut data = serde_json::Map::new();
        for column in (table.columns)() {
            data.insert(column.to_owned(), serde_json::Value::Null);
        }
        let row = DeviceRow {
            id: Uuid::nil(),
            version: 1,
            scopes: Vec::new(),
            data,
        };
        let mut roster = row.clone();
        table.project(&mut roster, [ScopeKind::Session]);
        assert!(roster.data.contains_key("status"));
        assert!(!roster.data.contains_key("price_cents"));
        let mut both = row.clone();
        table.project(&mut both, [ScopeKind::Session, ScopeKind::Person]);
        assert!(both.data.contains_key("price_cents"));
        assert!(
            !both.data.contains_key("idempotency_key"),
            "hidden from all"
        );
        let mut none = row;
        table.project(&mut none, []);
        assert!(none.data.is_empty());
    }
}
