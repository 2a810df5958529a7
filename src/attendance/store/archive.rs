//! What rescheduling reads and removes: the marks and countersignatures of given half-days, and
//! the history's `archived` entries of a session.

use entity::{attendance_event, attendance_mark, slot_signoff};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{MarkRow, SignoffRow};
use crate::attendance::model::{ActivityKind, Event};
use crate::db::write::WriteTx;

/// The action of a history entry that archived a mark or a countersignature.
pub const ARCHIVED: &str = "archived";

/// Every mark of these half-days.
pub async fn marks_of_slots(
    db: &impl ConnectionTrait,
    slot_ids: &[Uuid],
) -> Result<Vec<MarkRow>, DbErr> {
    attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ActivityKind.eq(ActivityKind::Slot))
        .filter(attendance_mark::Column::ActivityId.is_in(slot_ids.iter().copied()))
        .order_by_asc(attendance_mark::Column::Id)
        .all(db)
        .await
}

/// The countersignatures of these half-days (reopened ones too: they still sign it).
pub async fn signoffs_of_slots(
    db: &impl ConnectionTrait,
    slot_ids: &[Uuid],
) -> Result<Vec<SignoffRow>, DbErr> {
    slot_signoff::Entity::find()
        .filter(slot_signoff::Column::Id.is_in(slot_ids.iter().copied()))
        .all(db)
        .await
}

/// Deletes a countersignature (its half-day is removed or moved): devices get a tombstone.
pub async fn delete_signoff(tx: &mut WriteTx, row: SignoffRow) -> Result<(), DbErr> {
    tx.delete::<slot_signoff::Entity>(row).await
}

/// The history's `archived` entries of a session, oldest first.
pub async fn archived_events(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<Event>, DbErr> {
    Ok(attendance_event::Entity::find()
        .filter(attendance_event::Column::ContextId.eq(session_id))
        .filter(attendance_event::Column::Action.eq(ARCHIVED))
        .order_by_asc(attendance_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(super::event_of)
        .collect())
}
