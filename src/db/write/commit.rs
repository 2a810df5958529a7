//! The commit: the space version allocated last, every touched row stamped with it, the change
//! index upserted, then the watermarks advanced.

use std::collections::{BTreeMap, BTreeSet};

use migration::sync_guard::PENDING_VERSION;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use super::{Columns, Pending, WriteTx};

impl WriteTx {
    /// Allocates the space version (last), stamps every touched row and the change index, and
    /// commits. Returns the allocated version, or `None` when nothing synced was written.
    pub async fn commit(self) -> Result<Option<i64>, DbErr> {
        let Self {
            txn,
            space_id,
            pending,
            watermarks,
            emitted,
            ..
        } = self;
        let Pending { rows, changes } = pending;
        if changes.is_empty() && rows.values().all(|(_, ids)| ids.is_empty()) {
            txn.commit().await?;
            if let (Some(watermarks), true) = (watermarks, emitted) {
                watermarks.outbox_written();
            }
            return Ok(None);
        }
        if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            take_parent_locks(&txn, &rows).await?;
        }
        let version = allocate_version(&txn, space_id).await?;
        let written: Vec<&'static str> = rows.keys().copied().collect();
        for (table, (columns, ids)) in rows.into_iter().filter(|(_, (_, ids))| !ids.is_empty()) {
            let stamp = Query::update()
                .table(Alias::new(table))
                .value(Alias::new(columns.version), version)
                .and_where(Expr::col(Alias::new(columns.id)).is_in(ids))
                .to_owned();
            txn.execute(&stamp).await?;
        }
        let entries: Vec<_> = changes
            .into_iter()
            .map(
                |((scope, entity_type, entity_id), deleted)| entity::sync_change::ActiveModel {
                    space_id: Set(space_id),
                    scope_key: Set(scope.key()),
                    entity_type: Set(entity_type.to_owned()),
                    entity_id: Set(entity_id),
                    version: Set(version),
                    deleted: Set(deleted),
                },
            )
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
        if let Some(watermarks) = watermarks {
            watermarks.advance(version, written);
            if emitted {
                watermarks.outbox_written();
            }
        }
        Ok(Some(version))
    }
}

/// PostgreSQL checks a row's foreign keys again when a transaction updates a row it wrote
/// itself, locking each parent row `FOR KEY SHARE`. The final stamp is such an update: done
/// after the space row is locked, it could wait for a parent that a writer holds while that
/// writer waits for the space row — a deadlock. Touching the rows once more *before* the space
/// row (to the pending marker they already carry) takes those parent locks first; the stamp then
/// finds them held.
async fn take_parent_locks(
    txn: &DatabaseTransaction,
    rows: &BTreeMap<&'static str, (Columns, BTreeSet<Uuid>)>,
) -> Result<(), DbErr> {
    for (table, (columns, ids)) in rows.iter().filter(|(_, (_, ids))| !ids.is_empty()) {
        let touch = Query::update()
            .table(Alias::new(*table))
            .value(Alias::new(columns.version), PENDING_VERSION)
            .and_where(Expr::col(Alias::new(columns.id)).is_in(ids.iter().copied()))
            .to_owned();
        txn.execute(&touch).await?;
    }
    Ok(())
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
