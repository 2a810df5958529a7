//! The sync space as pulls and GC see it: its epoch, version, GC horizon and cursor key; the
//! checkpoints that date versions; the tombstones GC purges.

use chrono::{DateTime, Utc};
use entity::{sync_change, sync_checkpoint, sync_space};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::db::DEFAULT_SPACE;

pub type SpaceRow = sync_space::Model;

pub async fn space(db: &impl ConnectionTrait) -> Result<SpaceRow, DbErr> {
    sync_space::Entity::find_by_id(DEFAULT_SPACE)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("sync space".into()))
}

/// Remembers that the space stood at `version` at `at`.
pub async fn checkpoint(
    db: &impl ConnectionTrait,
    version: i64,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = sync_checkpoint::ActiveModel {
        version: Set(version),
        at: Set(at),
    };
    sync_checkpoint::Entity::insert(row)
        .on_conflict_do_nothing_on([sync_checkpoint::Column::Version])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The highest version checkpointed at or before `at` (0 if none).
pub async fn version_at(db: &impl ConnectionTrait, at: DateTime<Utc>) -> Result<i64, DbErr> {
    Ok(sync_checkpoint::Entity::find()
        .filter(sync_checkpoint::Column::At.lte(at))
        .order_by_desc(sync_checkpoint::Column::Version)
        .one(db)
        .await?
        .map_or(0, |c| c.version))
}

/// Purges the tombstones at or below `horizon` and raises the space's GC version to it;
/// answers how many tombstones went.
pub async fn collect_tombstones(db: &impl ConnectionTrait, horizon: i64) -> Result<u64, DbErr> {
    let purged = sync_change::Entity::delete_many()
        .filter(sync_change::Column::Deleted.eq(true))
        .filter(sync_change::Column::Version.lte(horizon))
        .exec(db)
        .await?
        .rows_affected;
    sync_space::Entity::update_many()
        .col_expr(sync_space::Column::GcVersion, Expr::value(horizon))
        .filter(sync_space::Column::SpaceId.eq(DEFAULT_SPACE))
        .filter(sync_space::Column::GcVersion.lt(horizon))
        .exec(db)
        .await?;
    Ok(purged)
}

/// Gives the space a new epoch: every device's cursor is answered `reset` (after a restore).
pub async fn new_epoch(db: &impl ConnectionTrait) -> Result<Uuid, DbErr> {
    let epoch = Uuid::new_v4();
    sync_space::Entity::update_many()
        .col_expr(sync_space::Column::Epoch, Expr::value(epoch))
        .filter(sync_space::Column::SpaceId.eq(DEFAULT_SPACE))
        .exec(db)
        .await?;
    Ok(epoch)
}
