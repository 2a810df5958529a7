//! The follow-up log of absences: rows are only ever added.

use entity::absence_followup;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::attendance::model::{DropOutCause, FollowUp};
use crate::db::write::WriteTx;

pub async fn add_follow_up(
    tx: &WriteTx,
    session_id: Uuid,
    person_id: Uuid,
    by: Uuid,
    note: String,
    drop_out: Option<(DropOutCause, Option<String>)>,
) -> Result<FollowUp, DbErr> {
    let (cause, reason) = drop_out.map_or((None, None), |(c, r)| (Some(c), r));
    let row = absence_followup::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id),
        person_id: Set(person_id),
        by: Set(by),
        at: Set(tx.now()),
        note: Set(note),
        drop_out_cause: Set(cause),
        drop_out_reason: Set(reason),
    };
    Ok(follow_up_of(
        absence_followup::Entity::insert(row)
            .exec_with_returning(tx.conn())
            .await?,
    ))
}

/// The session's follow-up log, oldest first.
pub async fn follow_ups(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<FollowUp>, DbErr> {
    Ok(absence_followup::Entity::find()
        .filter(absence_followup::Column::SessionId.eq(session_id))
        .order_by_asc(absence_followup::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(follow_up_of)
        .collect())
}

fn follow_up_of(row: absence_followup::Model) -> FollowUp {
    FollowUp {
        person_id: row.person_id,
        by: row.by,
        at: row.at,
        note: row.note,
        drop_out_cause: row.drop_out_cause,
        drop_out_reason: row.drop_out_reason,
    }
}
