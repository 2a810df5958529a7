//! Conflicts (synced: written through `WriteTx`).

use entity::sync_conflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::db::write::WriteTx;
use crate::sync::model::{Conflict, ConflictStatus, NewConflict};

pub type ConflictRow = sync_conflict::Model;

pub fn conflict_of(row: ConflictRow) -> Conflict {
    let json = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
    Conflict {
        id: row.id,
        context_kind: row.context_kind,
        context_id: row.context_id,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        rule: row.rule,
        resolution: row.resolution,
        winner: json(&row.winner),
        loser: json(&row.loser),
        winner_by: row.winner_by,
        loser_by: row.loser_by,
        loser_device_id: row.loser_device_id,
        loser_mutation_id: row.loser_mutation_id,
        status: row.status,
        created_at: row.created_at,
        resolved_by: row.resolved_by,
        resolved_at: row.resolved_at,
    }
}

pub async fn insert_conflict(tx: &mut WriteTx, new: NewConflict) -> Result<Conflict, DbErr> {
    let row = sync_conflict::ActiveModel {
        id: Set(Uuid::now_v7()),
        context_kind: Set(new.context_kind),
        context_id: Set(new.context_id),
        entity_type: Set(new.entity_type.to_owned()),
        entity_id: Set(new.entity_id),
        rule: Set(new.rule.to_owned()),
        resolution: Set(new.resolution),
        winner: Set(new.winner.to_string()),
        loser: Set(new.loser.to_string()),
        winner_by: Set(new.winner_by),
        loser_by: Set(new.loser_by),
        loser_device_id: Set(new.loser_device_id),
        loser_mutation_id: Set(new.loser_mutation_id),
        status: Set(ConflictStatus::Open),
        created_at: Set(tx.now()),
        resolved_by: Set(None),
        resolved_at: Set(None),
        version: Set(0),
    };
    Ok(conflict_of(
        tx.insert::<sync_conflict::Entity, _>(row).await?,
    ))
}

pub async fn lock_conflict(tx: &WriteTx, id: Uuid) -> Result<Option<ConflictRow>, DbErr> {
    tx.lock::<sync_conflict::Entity>(id).await
}

/// Marks a conflict `status` (acknowledged or resolved) by `by`.
pub async fn settle_conflict(
    tx: &mut WriteTx,
    before: &ConflictRow,
    status: ConflictStatus,
    by: Uuid,
) -> Result<Conflict, DbErr> {
    let mut row = before.clone().into_active_model();
    row.status = Set(status);
    row.resolved_by = Set(Some(by));
    row.resolved_at = Set(Some(tx.now()));
    Ok(conflict_of(
        tx.update::<sync_conflict::Entity, _>(before, row).await?,
    ))
}

/// Conflicts, newest first; of one status when given.
pub async fn conflicts(
    db: &impl ConnectionTrait,
    status: Option<ConflictStatus>,
) -> Result<Vec<Conflict>, DbErr> {
    let mut query = sync_conflict::Entity::find().order_by_desc(sync_conflict::Column::CreatedAt);
    if let Some(status) = status {
        query = query.filter(sync_conflict::Column::Status.eq(status));
    }
    Ok(query.all(db).await?.into_iter().map(conflict_of).collect())
}
