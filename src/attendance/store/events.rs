//! The attendance history: rows are only ever added.

use entity::attendance_event;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::attendance::model::Event;
use crate::db::write::WriteTx;

/// An entry to add.
pub struct NewEvent<'a> {
    pub context_id: Uuid,
    pub subject: &'static str,
    pub subject_id: Uuid,
    pub action: &'static str,
    pub by: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<&'a str>,
}

pub async fn record(tx: &WriteTx, event: NewEvent<'_>) -> Result<(), DbErr> {
    let row = attendance_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        context_id: Set(event.context_id),
        subject: Set(event.subject.to_owned()),
        subject_id: Set(event.subject_id),
        action: Set(event.action.to_owned()),
        by: Set(event.by),
        at: Set(tx.now()),
        before: Set(event.before.map(|v| v.to_string())),
        after: Set(event.after.map(|v| v.to_string())),
        reason: Set(event.reason.map(str::to_owned)),
    };
    attendance_event::Entity::insert(row)
        .exec_without_returning(tx.conn())
        .await?;
    Ok(())
}

/// The history of one subject (a mark, a slot, a session), oldest first.
pub async fn history(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<Vec<Event>, DbErr> {
    events_where(db, attendance_event::Column::SubjectId.eq(subject_id)).await
}

/// The whole history of a session (or club), oldest first.
pub async fn context_history(
    db: &impl ConnectionTrait,
    context_id: Uuid,
) -> Result<Vec<Event>, DbErr> {
    events_where(db, attendance_event::Column::ContextId.eq(context_id)).await
}

async fn events_where(
    db: &impl ConnectionTrait,
    filter: sea_orm::sea_query::SimpleExpr,
) -> Result<Vec<Event>, DbErr> {
    Ok(attendance_event::Entity::find()
        .filter(filter)
        .order_by_asc(attendance_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(event_of)
        .collect())
}

pub fn event_of(row: attendance_event::Model) -> Event {
    Event {
        id: row.id,
        subject: row.subject,
        subject_id: row.subject_id,
        action: row.action,
        by: row.by,
        at: row.at,
        before: row.before.and_then(|t| serde_json::from_str(&t).ok()),
        after: row.after.and_then(|t| serde_json::from_str(&t).ok()),
        reason: row.reason,
    }
}
