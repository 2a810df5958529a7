//! The mutation log.

use chrono::{DateTime, Utc};
use entity::sync_mutation;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::sync::model::{MutationStatus, Pushed};

pub type MutationRow = sync_mutation::Model;

/// A mutation as stored: everything the device pushed (so a quarantined one can be applied
/// later exactly as pushed), its status and result.
pub struct NewMutation<'a> {
    pub device_id: Uuid,
    pub pushed: &'a Pushed,
    pub status: MutationStatus,
    pub result: &'a serde_json::Value,
    pub at: DateTime<Utc>,
}

fn row_of(new: NewMutation<'_>) -> sync_mutation::ActiveModel {
    let pushed = new.pushed;
    sync_mutation::ActiveModel {
        device_id: Set(new.device_id),
        seq: Set(pushed.seq),
        mutation_id: Set(pushed.id),
        name: Set(pushed.name.clone()),
        args: Set(pushed.args.to_string()),
        status: Set(new.status),
        result: Set(new.result.to_string()),
        hlc: Set(Some(pushed.hlc)),
        base_version: Set(pushed.base_version),
        prev_local_seq: Set(pushed.prev_local_seq),
        received_at: Set(new.at),
        decided_at: Set(None),
        decided_by: Set(None),
        decision_reason: Set(None),
    }
}

pub async fn insert_mutation(db: &impl ConnectionTrait, new: NewMutation<'_>) -> Result<(), DbErr> {
    sync_mutation::Entity::insert(row_of(new))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Stores a mutation unless its id or its (device, seq) is already stored (a revoked device
/// pushing the same batch again).
pub async fn insert_mutation_once(
    db: &impl ConnectionTrait,
    new: NewMutation<'_>,
) -> Result<(), DbErr> {
    sync_mutation::Entity::insert(row_of(new))
        .on_conflict_do_nothing()
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A stored mutation as its device pushed it (what accepting a quarantined one applies).
pub fn pushed_of(row: &MutationRow) -> Pushed {
    Pushed {
        seq: row.seq,
        id: row.mutation_id,
        name: row.name.clone(),
        hlc: row.hlc.unwrap_or_default(),
        base_version: row.base_version,
        prev_local_seq: row.prev_local_seq,
        args: serde_json::from_str(&row.args).unwrap_or_default(),
    }
}

pub async fn mutation_at(
    db: &impl ConnectionTrait,
    device_id: Uuid,
    seq: i64,
) -> Result<Option<MutationRow>, DbErr> {
    sync_mutation::Entity::find_by_id((device_id, seq))
        .one(db)
        .await
}

pub async fn mutation_by_id(
    db: &impl ConnectionTrait,
    mutation_id: Uuid,
) -> Result<Option<MutationRow>, DbErr> {
    sync_mutation::Entity::find()
        .filter(sync_mutation::Column::MutationId.eq(mutation_id))
        .one(db)
        .await
}

/// Mutations of one status, oldest first.
pub async fn mutations_with_status(
    db: &impl ConnectionTrait,
    status: MutationStatus,
) -> Result<Vec<MutationRow>, DbErr> {
    sync_mutation::Entity::find()
        .filter(sync_mutation::Column::Status.eq(status))
        .order_by_asc(sync_mutation::Column::ReceivedAt)
        .order_by_asc(sync_mutation::Column::DeviceId)
        .order_by_asc(sync_mutation::Column::Seq)
        .all(db)
        .await
}

/// An administrator's decision on a quarantined mutation.
pub struct Decision<'a> {
    pub status: MutationStatus,
    pub result: &'a serde_json::Value,
    pub by: Uuid,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// Records a decision if the mutation is still quarantined; answers whether it was.
pub async fn decide(
    db: &impl ConnectionTrait,
    device_id: Uuid,
    seq: i64,
    decision: Decision<'_>,
) -> Result<bool, DbErr> {
    use sync_mutation::Column as C;
    let updated = sync_mutation::Entity::update_many()
        .col_expr(C::Status, Expr::value(decision.status))
        .col_expr(C::Result, Expr::value(decision.result.to_string()))
        .col_expr(C::DecidedAt, Expr::value(decision.at))
        .col_expr(C::DecidedBy, Expr::value(decision.by))
        .col_expr(C::DecisionReason, Expr::value(decision.reason))
        .filter(C::DeviceId.eq(device_id))
        .filter(C::Seq.eq(seq))
        .filter(C::Status.eq(MutationStatus::Quarantined))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}
