//! The one write transaction, and the sync stamping that lives in it.
//!
//! Every context writes through [`WriteTx`]: on SQLite it begins `IMMEDIATE` (one writer at a
//! time, no `SQLITE_BUSY` upgrade failures); on PostgreSQL it is READ COMMITTED, and
//! read-then-write rules take row locks with [`WriteTx::lock`].
//!
//! Rows of synced tables (those a device pulls) are written only through [`WriteTx::insert`],
//! [`WriteTx::update`], [`WriteTx::touch`] and [`WriteTx::delete`]. They write the row with the
//! pending marker `version = -1` and remember which scopes saw the entity. [`WriteTx::commit`]
//! then, **last**, allocates the next space version `V`
//! (`UPDATE sync_space SET version = version + 1 … RETURNING version`), sets `version = V` on every
//! touched row, upserts one `sync_change` row per (scope, entity) and commits. Because the space
//! row stays locked from that `UPDATE` to the commit, versions are handed out in commit order on
//! both engines, which is what a device's cursor needs. Database triggers
//! (`migration::sync_guard`) reject any write to a synced table that skips this helper.

use std::collections::{BTreeMap, BTreeSet};

use migration::sync_guard::PENDING_VERSION;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, PrimaryKeyTrait, QueryFilter,
    QuerySelect, Set, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::DEFAULT_SPACE;

/// An entity that devices pull. Implemented next to the context that owns the table.
pub trait Synced: EntityTrait {
    /// The entity type devices see in `sync_change` (by convention the table name).
    const ENTITY_TYPE: &'static str;
    /// The `version` column.
    fn version_column() -> Self::Column;
    /// The `id` column.
    fn id_column() -> Self::Column;
    /// The id of a row.
    fn id_of(model: &Self::Model) -> Uuid;
    /// The scopes (`person:<id>`, `organisation:<id>`, `catalogue`, …) that see this row.
    fn scopes(model: &Self::Model) -> Vec<String>;
}

type ChangeKey = (String, &'static str, Uuid);

/// A write transaction with sync stamping. Dropped without [`WriteTx::commit`] = rolled back.
pub struct WriteTx {
    txn: DatabaseTransaction,
    space_id: Uuid,
    /// table → ids of rows to stamp with the allocated version.
    rows: BTreeMap<String, BTreeSet<Uuid>>,
    /// (scope, entity type, id) → deleted (or left the scope).
    changes: BTreeMap<ChangeKey, bool>,
}

impl WriteTx {
    /// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(Self {
            txn,
            space_id: DEFAULT_SPACE,
            rows: BTreeMap::new(),
            changes: BTreeMap::new(),
        })
    }

    /// The connection, for reads and for writes to tables that devices do not see.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Reads a row and locks it until commit (`FOR UPDATE` on PostgreSQL; SQLite already holds
    /// the database write lock).
    pub async fn lock<E>(&self, id: Uuid) -> Result<Option<E::Model>, DbErr>
    where
        E: Synced,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        E::find_by_id(id).lock_exclusive().one(&self.txn).await
    }

    /// Inserts a synced row.
    pub async fn insert<E, A>(&mut self, mut row: A) -> Result<E::Model, DbErr>
    where
        E: Synced,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        row.set(E::version_column(), PENDING_VERSION.into());
        let model = row.insert(&self.txn).await?;
        self.record::<E>(None, Some(&model));
        Ok(model)
    }

    /// Updates a synced row; `before` is the row as read (locked) in this transaction, so that
    /// scopes the row leaves get a delete.
    pub async fn update<E, A>(&mut self, before: &E::Model, mut row: A) -> Result<E::Model, DbErr>
    where
        E: Synced,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        row.set(E::version_column(), PENDING_VERSION.into());
        let model = row.update(&self.txn).await?;
        self.record::<E>(Some(before), Some(&model));
        Ok(model)
    }

    /// Stamps a row whose aggregate changed in another table (e.g. a person's roles).
    pub async fn touch<E: Synced>(&mut self, model: &E::Model) -> Result<(), DbErr> {
        self.mark_pending::<E>(model).await?;
        self.record::<E>(Some(model), Some(model));
        Ok(())
    }

    /// Deletes a synced row; every scope that saw it gets a tombstone.
    pub async fn delete<E: Synced>(&mut self, model: E::Model) -> Result<(), DbErr> {
        self.mark_pending::<E>(&model).await?;
        E::delete_many()
            .filter(E::id_column().eq(E::id_of(&model)))
            .exec(&self.txn)
            .await?;
        self.record::<E>(Some(&model), None);
        Ok(())
    }

    async fn mark_pending<E: Synced>(&self, model: &E::Model) -> Result<(), DbErr> {
        E::update_many()
            .col_expr(E::version_column(), Expr::value(PENDING_VERSION))
            .filter(E::id_column().eq(E::id_of(model)))
            .exec(&self.txn)
            .await?;
        Ok(())
    }

    fn record<E: Synced>(&mut self, before: Option<&E::Model>, after: Option<&E::Model>) {
        let Some(id) = after.or(before).map(E::id_of) else {
            return;
        };
        let new_scopes: BTreeSet<String> = after
            .map(E::scopes)
            .unwrap_or_default()
            .into_iter()
            .collect();
        for scope in before.map(E::scopes).unwrap_or_default() {
            if !new_scopes.contains(&scope) {
                self.changes.insert((scope, E::ENTITY_TYPE, id), true);
            }
        }
        for scope in new_scopes {
            self.changes.insert((scope, E::ENTITY_TYPE, id), false);
        }
        let table = E::default().table_name().to_owned();
        let ids = self.rows.entry(table).or_default();
        if after.is_some() {
            ids.insert(id);
        } else {
            ids.remove(&id);
        }
    }

    /// Allocates the space version (last), stamps every touched row and the change index, and
    /// commits. Returns the allocated version, or `None` when nothing synced was written.
    pub async fn commit(self) -> Result<Option<i64>, DbErr> {
        let Self {
            txn,
            space_id,
            rows,
            changes,
        } = self;
        if changes.is_empty() && rows.values().all(BTreeSet::is_empty) {
            txn.commit().await?;
            return Ok(None);
        }
        let version = allocate_version(&txn, space_id).await?;
        for (table, ids) in rows.into_iter().filter(|(_, ids)| !ids.is_empty()) {
            let stamp = Query::update()
                .table(Alias::new(table))
                .value(Alias::new("version"), version)
                .and_where(Expr::col(Alias::new("id")).is_in(ids))
                .to_owned();
            txn.execute(&stamp).await?;
        }
        let entries: Vec<_> = changes
            .into_iter()
            .map(|((scope_key, entity_type, entity_id), deleted)| {
                entity::sync_change::ActiveModel {
                    space_id: Set(space_id),
                    scope_key: Set(scope_key),
                    entity_type: Set(entity_type.to_owned()),
                    entity_id: Set(entity_id),
                    version: Set(version),
                    deleted: Set(deleted),
                }
            })
            .collect();
        for chunk in entries.chunks(500) {
            use entity::sync_change::Column as C;
            entity::sync_change::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([C::ScopeKey, C::EntityType, C::EntityId])
                        .update_columns([C::SpaceId, C::Version, C::Deleted])
                        .to_owned(),
                )
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(Some(version))
    }
}

async fn allocate_version(txn: &DatabaseTransaction, space_id: Uuid) -> Result<i64, DbErr> {
    use entity::sync_space::Column as C;
    let updated = entity::sync_space::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .filter(C::SpaceId.eq(space_id))
        .exec_with_returning(txn)
        .await?;
    updated
        .first()
        .map(|space| space.version)
        .ok_or_else(|| DbErr::RecordNotFound(format!("sync space {space_id}")))
}
