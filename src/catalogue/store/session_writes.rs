//! Writing sessions, their trainers and their half-days.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::{session_trainer, slot, training_session};
use sea_orm::DbErr;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use crate::catalogue::model::SessionStatus;
use crate::catalogue::time::{self, PlannedSlot};
use crate::db::write::WriteTx;

/// A new draft session, validated.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: Uuid,
    pub training_id: Uuid,
    pub room_id: Uuid,
    pub time_zone: String,
    pub capacity: i32,
    pub enrolment_deadline: Option<DateTime<Utc>>,
    pub qualiopi_scope: bool,
    pub bpf_scope: bool,
    pub duration_note: Option<String>,
}

/// A session row read and locked until commit, for a change.
#[derive(Debug, Clone)]
pub struct LockedSession(training_session::Model);

impl LockedSession {
    pub fn id(&self) -> Uuid {
        self.0.id
    }
    pub fn status(&self) -> SessionStatus {
        self.0.status
    }
    pub fn training_id(&self) -> Uuid {
        self.0.training_id
    }
    pub fn room_id(&self) -> Uuid {
        self.0.room_id
    }
    pub fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    pub fn capacity(&self) -> i32 {
        self.0.capacity
    }
    pub fn seats_taken(&self) -> i32 {
        self.0.seats_taken
    }
    pub fn enrolment_deadline(&self) -> Option<DateTime<Utc>> {
        self.0.enrolment_deadline
    }
    pub fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at
    }
    pub fn duration_note(&self) -> Option<&str> {
        self.0.duration_note.as_deref()
    }
    pub fn has_slots(&self) -> bool {
        self.0.starts_at.is_some()
    }
}

pub async fn lock_session(tx: &WriteTx, id: Uuid) -> Result<Option<LockedSession>, DbErr> {
    Ok(tx
        .lock::<training_session::Entity>(id)
        .await?
        .map(LockedSession))
}

/// Inserts a draft session, not yet listed and without half-days.
pub async fn insert_session(tx: &mut WriteTx, new: SessionRow) -> Result<LockedSession, DbErr> {
    let now = tx.now();
    let created = tx
        .insert(training_session::ActiveModel {
            id: Set(new.id),
            training_id: Set(new.training_id),
            room_id: Set(new.room_id),
            time_zone: Set(new.time_zone),
            capacity: Set(new.capacity),
            seats_taken: Set(0),
            enrolment_deadline: Set(new.enrolment_deadline),
            status: Set(SessionStatus::Draft),
            cancel_reason: Set(None),
            listed: Set(false),
            qualiopi_scope: Set(new.qualiopi_scope),
            bpf_scope: Set(new.bpf_scope),
            duration_note: Set(new.duration_note),
            starts_at: Set(None),
            ends_at: Set(None),
            planned_minutes: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(0),
        })
        .await?;
    Ok(LockedSession(created))
}

/// When a session happens: its first start, last end and planned minutes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Schedule {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub minutes: i32,
}

/// Changes to write to a session; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct SessionUpdate {
    pub room_id: Option<Uuid>,
    pub time_zone: Option<String>,
    pub capacity: Option<i32>,
    pub enrolment_deadline: Option<Option<DateTime<Utc>>>,
    pub duration_note: Option<Option<String>>,
    pub qualiopi_scope: Option<bool>,
    pub bpf_scope: Option<bool>,
    pub status: Option<SessionStatus>,
    pub listed: Option<bool>,
    pub cancel_reason: Option<String>,
    pub schedule: Option<Schedule>,
}

pub async fn update_session(
    tx: &mut WriteTx,
    before: &LockedSession,
    update: SessionUpdate,
) -> Result<(), DbErr> {
    let mut row = before.0.clone().into_active_model();
    if let Some(room_id) = update.room_id {
        row.room_id = Set(room_id);
    }
    if let Some(zone) = update.time_zone {
        row.time_zone = Set(zone);
    }
    if let Some(capacity) = update.capacity {
        row.capacity = Set(capacity);
    }
    if let Some(deadline) = update.enrolment_deadline {
        row.enrolment_deadline = Set(deadline);
    }
    if let Some(note) = update.duration_note {
        row.duration_note = Set(note);
    }
    if let Some(q) = update.qualiopi_scope {
        row.qualiopi_scope = Set(q);
    }
    if let Some(b) = update.bpf_scope {
        row.bpf_scope = Set(b);
    }
    if let Some(status) = update.status {
        row.status = Set(status);
    }
    if let Some(listed) = update.listed {
        row.listed = Set(listed);
    }
    if let Some(reason) = update.cancel_reason {
        row.cancel_reason = Set(Some(reason));
    }
    if let Some(schedule) = update.schedule {
        row.starts_at = Set(schedule.starts_at);
        row.ends_at = Set(schedule.ends_at);
        row.planned_minutes = Set(schedule.minutes);
    }
    row.updated_at = Set(tx.now());
    tx.update(&before.0, row).await?;
    Ok(())
}

pub async fn replace_trainers(
    tx: &WriteTx,
    session_id: Uuid,
    trainers: &[Uuid],
) -> Result<(), DbErr> {
    session_trainer::Entity::delete_many()
        .filter(session_trainer::Column::SessionId.eq(session_id))
        .exec(tx.conn())
        .await?;
    let rows: Vec<_> = trainers
        .iter()
        .map(|p| session_trainer::ActiveModel {
            session_id: Set(session_id),
            person_id: Set(*p),
        })
        .collect();
    if !rows.is_empty() {
        session_trainer::Entity::insert_many(rows)
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

/// Writes the planned half-days of a session: new ones inserted, changed ones updated, missing
/// ones deleted (devices get a tombstone); ids stay, so marks attached to a kept half-day stay.
pub async fn write_slots(
    tx: &mut WriteTx,
    session_id: Uuid,
    planned: &[PlannedSlot],
) -> Result<Schedule, DbErr> {
    let existing = slot::Entity::find()
        .filter(slot::Column::SessionId.eq(session_id))
        .all(tx.conn())
        .await?;
    let wanted: BTreeSet<Uuid> = planned.iter().map(|p| p.id).collect();
    for old in existing.iter().filter(|s| !wanted.contains(&s.id)) {
        tx.delete::<slot::Entity>(old.clone()).await?;
    }
    for p in planned {
        let row = slot::ActiveModel {
            id: Set(p.id),
            session_id: Set(session_id),
            local_date: Set(p.date),
            period: Set(p.period),
            local_start: Set(time::format_time(p.local_start)),
            local_end: Set(time::format_time(p.local_end)),
            starts_at: Set(p.starts_at),
            ends_at: Set(p.ends_at),
            minutes: Set(p.minutes),
            sequence: Set(0),
            version: Set(0),
        };
        match existing.iter().find(|s| s.id == p.id) {
            None => {
                tx.insert(row).await?;
            }
            Some(old) => {
                let same = old.local_start == time::format_time(p.local_start)
                    && old.local_end == time::format_time(p.local_end)
                    && old.starts_at == p.starts_at
                    && old.ends_at == p.ends_at;
                if !same {
                    let mut row = row;
                    row.sequence = Set(old.sequence + 1);
                    tx.update(old, row).await?;
                }
            }
        }
    }
    Ok(Schedule {
        starts_at: planned.first().map(|p| p.starts_at),
        ends_at: planned.iter().map(|p| p.ends_at).max(),
        minutes: planned.iter().map(|p| p.minutes).sum(),
    })
}

/// Raises the calendar revision of every half-day of these sessions (their place or status
/// changed).
pub async fn bump_slots(tx: &mut WriteTx, session_ids: &[Uuid]) -> Result<(), DbErr> {
    let slots =
        crate::db::query::by_ids::<slot::Entity>(tx.conn(), slot::Column::SessionId, session_ids)
            .await?;
    for old in slots {
        let mut row = old.clone().into_active_model();
        row.sequence = Set(old.sequence + 1);
        tx.update(&old, row).await?;
    }
    Ok(())
}
