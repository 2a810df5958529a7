//! Attendance marks (synced: written through `WriteTx`).

use chrono::{DateTime, Utc};
use entity::attendance_mark;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::attendance::model::{
    Activity, ActivityKind, DeviceWitness, Mark, MarkStatus, RecordedAs, mark_id,
};
use crate::db::write::WriteTx;

pub type MarkRow = attendance_mark::Model;

pub fn mark_of(row: MarkRow) -> Mark {
    Mark {
        id: row.id,
        slot_id: row.activity_id,
        session_id: row.context_id,
        person_id: row.person_id,
        status: row.status,
        late_minutes: row.late_minutes,
        signature_sha256: row.signature_sha256,
        signed_at: row.signed_at,
        recorded_by: row.recorded_by,
        recorded_as: row.recorded_as,
        device_id: row.device_id,
        updated_at: row.updated_at,
        received_at: row.received_at.unwrap_or(row.updated_at),
        device: row.device_recorded_at.map(|recorded_at| DeviceWitness {
            recorded_at,
            clock_offset_ms: row.clock_offset_ms,
        }),
    }
}

/// A mark's state as the service decided it.
pub struct MarkState {
    pub status: MarkStatus,
    pub late_minutes: Option<i32>,
    pub signature_sha256: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub recorded_by: Uuid,
    pub recorded_as: RecordedAs,
    pub device_id: Option<Uuid>,
    /// The writer's hybrid logical clock (the server's time for online writes).
    pub hlc: i64,
    /// The device's mutation sequence number, for a write pushed by a device.
    pub device_seq: Option<i64>,
    /// When the server received the signature (or the state).
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// What the device that recorded it says of its clock.
    pub device: Option<DeviceWitness>,
}

/// Reads a slot's mark of a person and locks it until commit.
pub async fn lock_mark(
    tx: &WriteTx,
    slot_id: Uuid,
    person_id: Uuid,
) -> Result<Option<MarkRow>, DbErr> {
    tx.lock::<attendance_mark::Entity>(mark_id(slot_id, person_id))
        .await
}

/// Writes the mark of `person_id` at `activity` (inserting it the first time).
pub async fn write_mark(
    tx: &mut WriteTx,
    before: Option<&MarkRow>,
    activity: Activity,
    person_id: Uuid,
    state: MarkState,
) -> Result<MarkRow, DbErr> {
    let now = tx.now();
    let mut row = match before {
        Some(before) => before.clone().into_active_model(),
        None => attendance_mark::ActiveModel {
            id: Set(mark_id(activity.id, person_id)),
            activity_kind: Set(activity.kind),
            activity_id: Set(activity.id),
            context_id: Set(activity.context_id),
            person_id: Set(person_id),
            version: Set(0),
            ..Default::default()
        },
    };
    row.status = Set(state.status);
    row.late_minutes = Set(state.late_minutes);
    row.signature_sha256 = Set(state.signature_sha256);
    row.signed_at = Set(state.signed_at);
    row.recorded_by = Set(state.recorded_by);
    row.recorded_as = Set(state.recorded_as);
    row.device_id = Set(state.device_id);
    row.hlc = Set(Some(state.hlc));
    row.device_seq = Set(state.device_seq);
    row.updated_at = Set(now);
    row.received_at = Set(Some(state.received_at));
    row.device_recorded_at = Set(state.device.map(|d| d.recorded_at));
    row.clock_offset_ms = Set(state.device.and_then(|d| d.clock_offset_ms));
    match before {
        Some(before) => tx.update::<attendance_mark::Entity, _>(before, row).await,
        None => tx.insert::<attendance_mark::Entity, _>(row).await,
    }
}

/// One mark by slot and person.
pub async fn mark(
    db: &impl ConnectionTrait,
    slot_id: Uuid,
    person_id: Uuid,
) -> Result<Option<Mark>, DbErr> {
    Ok(
        attendance_mark::Entity::find_by_id(mark_id(slot_id, person_id))
            .one(db)
            .await?
            .map(mark_of),
    )
}

/// Every mark of one activity (a half-day or a meeting).
pub async fn marks_of_activity(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
) -> Result<Vec<Mark>, DbErr> {
    Ok(attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ActivityId.eq(activity_id))
        .all(db)
        .await?
        .into_iter()
        .map(mark_of)
        .collect())
}

/// Every mark of the meetings of `club_ids` (the activity figures).
pub async fn meeting_marks_of_clubs(
    db: &impl ConnectionTrait,
    club_ids: &[Uuid],
) -> Result<Vec<Mark>, DbErr> {
    Ok(attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ContextId.is_in(club_ids.iter().copied()))
        .filter(attendance_mark::Column::ActivityKind.eq(ActivityKind::Meeting))
        .all(db)
        .await?
        .into_iter()
        .map(mark_of)
        .collect())
}

/// Every mark of a session's half-days.
pub async fn marks_of_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<Mark>, DbErr> {
    Ok(attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ContextId.eq(session_id))
        .filter(attendance_mark::Column::ActivityKind.eq(ActivityKind::Slot))
        .all(db)
        .await?
        .into_iter()
        .map(mark_of)
        .collect())
}

/// Deletes a mark (cleared): the devices that saw it get a tombstone.
pub async fn delete_mark(tx: &mut WriteTx, row: MarkRow) -> Result<(), DbErr> {
    tx.delete::<attendance_mark::Entity>(row).await
}

/// Every mark of a person of one kind of activity (half-days or club meetings), oldest first.
pub async fn marks_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    kind: ActivityKind,
) -> Result<Vec<MarkRow>, DbErr> {
    use sea_orm::QueryOrder;
    attendance_mark::Entity::find()
        .filter(attendance_mark::Column::PersonId.eq(person_id))
        .filter(attendance_mark::Column::ActivityKind.eq(kind))
        .order_by_asc(attendance_mark::Column::UpdatedAt)
        .order_by_asc(attendance_mark::Column::Id)
        .all(db)
        .await
}
