//! Sessions and their half-day slots: planning, publication, cancellation, and who may see them.

mod plan;
mod reads;
mod reschedule;
mod seats;

pub use reads::*;
pub use reschedule::{EvidenceFuture, OnMarks, Rescheduled, SlotChange, SlotEvidence};
pub use seats::*;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use self::plan::{Plan, check_trainers, note, slot_input, zone_of};
use super::{CatalogueError, Result, invalid, require_admin};
use crate::catalogue::model::{Session, SessionStatus, TrainingStatus};
use crate::catalogue::policy;
use crate::catalogue::store::{self, LockedSession, SessionRow, SessionUpdate};
use crate::catalogue::time::{self, SlotInput};
use crate::db::outbox::Event;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// A new session.
#[derive(Debug, Clone)]
pub struct SessionInput {
    pub training_id: Uuid,
    pub room_id: Uuid,
    pub time_zone: Option<String>,
    pub capacity: i32,
    pub enrolment_deadline: Option<DateTime<Utc>>,
    pub trainer_ids: Vec<Uuid>,
    pub qualiopi_scope: Option<bool>,
    pub bpf_scope: Option<bool>,
    pub duration_note: Option<String>,
    pub slots: Vec<SlotInput>,
}

/// Changes to a session; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SessionChanges {
    pub room_id: Option<Uuid>,
    pub time_zone: Option<String>,
    pub capacity: Option<i32>,
    pub enrolment_deadline: Option<Option<DateTime<Utc>>>,
    pub trainer_ids: Option<Vec<Uuid>>,
    pub qualiopi_scope: Option<bool>,
    pub bpf_scope: Option<bool>,
    pub duration_note: Option<Option<String>>,
    /// What to do with the marks of half-days a new time zone moves.
    pub on_marks: OnMarks,
}

async fn lock_open(tx: &WriteTx, id: Uuid) -> Result<LockedSession> {
    let locked = store::lock_session(tx, id)
        .await?
        .ok_or(CatalogueError::SessionNotFound)?;
    if !policy::session_is_open(locked.status()) {
        return Err(CatalogueError::SessionFrozen(locked.status()));
    }
    Ok(locked)
}

async fn reload(tx: &WriteTx, id: Uuid) -> Result<Session> {
    store::session(tx.conn(), id)
        .await?
        .ok_or(CatalogueError::SessionNotFound)
}

/// Creates a draft session with its trainers and half-days (administrators).
pub async fn create_session(
    tx: &mut WriteTx,
    principal: &Principal,
    input: SessionInput,
) -> Result<Session> {
    create_session_with_id(tx, principal, Uuid::now_v7(), input).await
}

/// Creates a draft session with a given id (demo data keeps its ids stable).
pub async fn create_session_with_id(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    input: SessionInput,
) -> Result<Session> {
    require_admin(principal)?;
    let mut errors = FieldErrors::new();
    let zone_name = input
        .time_zone
        .clone()
        .unwrap_or_else(|| time::DEFAULT_ZONE.to_owned());
    let zone = zone_of(&zone_name, &mut errors);
    let duration_note = note(input.duration_note);
    let training = store::training(tx.conn(), input.training_id).await?;
    if training.is_none() {
        errors.add("training_id", "no such training");
    }
    let room = store::room(tx.conn(), input.room_id).await?;
    if room.is_none() {
        errors.add("room_id", "no such room");
    }
    let trainers = check_trainers(tx.conn(), &input.trainer_ids, &mut errors).await?;
    let Some(training) = training else {
        return Err(CatalogueError::Invalid(errors));
    };
    let plan = Plan {
        session_id: id,
        training: &training,
        room: room.as_ref(),
        zone,
        capacity: input.capacity,
        deadline: input.enrolment_deadline,
        duration_note: duration_note.as_deref(),
    };
    let planned = plan::check(&plan, &input.slots, &mut errors);
    invalid(errors)?;
    let row = SessionRow {
        id,
        training_id: training.id,
        room_id: input.room_id,
        time_zone: zone.map_or(zone_name, |z| z.name().to_owned()),
        capacity: input.capacity,
        enrolment_deadline: input.enrolment_deadline,
        qualiopi_scope: input.qualiopi_scope.unwrap_or(true),
        bpf_scope: input.bpf_scope.unwrap_or(true),
        duration_note,
    };
    let created = store::insert_session(tx, row).await?;
    store::replace_trainers(tx, id, &trainers).await?;
    let schedule = store::write_slots(tx, id, &planned).await?;
    let update = SessionUpdate {
        schedule: Some(schedule),
        ..SessionUpdate::default()
    };
    store::update_session(tx, &created, update).await?;
    reload(tx, id).await
}

/// Changes a session's room, zone, capacity, deadline, trainers, scopes or duration note; the
/// slots are re-placed in time when the zone changes (see [`reschedule`] for the half-days that
/// hold marks, and for a session that has started). Closed and cancelled sessions are frozen.
pub async fn update_session(
    tx: &mut WriteTx,
    principal: &Principal,
    evidence: &dyn SlotEvidence,
    id: Uuid,
    changes: SessionChanges,
) -> Result<Session> {
    require_admin(principal)?;
    let before = lock_open(tx, id).await?;
    let mut errors = FieldErrors::new();
    let zone_name = changes
        .time_zone
        .clone()
        .unwrap_or_else(|| before.time_zone().to_owned());
    let zone = zone_of(&zone_name, &mut errors);
    let room_id = changes.room_id.unwrap_or(before.room_id());
    let room = store::room(tx.conn(), room_id).await?;
    if room.is_none() {
        errors.add("room_id", "no such room");
    }
    let trainers = match &changes.trainer_ids {
        Some(ids) => Some(check_trainers(tx.conn(), ids, &mut errors).await?),
        None => None,
    };
    let capacity = changes.capacity.unwrap_or(before.capacity());
    if capacity < before.seats_taken() {
        errors.add(
            "capacity",
            format!("{} places are already taken", before.seats_taken()),
        );
    }
    let duration_note = match changes.duration_note.clone() {
        Some(value) => note(value),
        None => before.duration_note().map(str::to_owned),
    };
    let deadline = changes
        .enrolment_deadline
        .unwrap_or(before.enrolment_deadline());
    let current = reload(tx, id).await?;
    let inputs: Vec<SlotInput> = current.slots.iter().map(slot_input).collect();
    let plan = Plan {
        session_id: id,
        training: &current.training,
        room: room.as_ref(),
        zone,
        capacity,
        deadline,
        duration_note: duration_note.as_deref(),
    };
    let planned = plan::check(&plan, &inputs, &mut errors);
    invalid(errors)?;
    let by = principal.person_id;
    reschedule::guard(
        tx,
        &before,
        &current.slots,
        &planned,
        evidence,
        changes.on_marks,
        by,
    )
    .await?;
    if let Some(trainers) = &trainers {
        store::replace_trainers(tx, id, trainers).await?;
    }
    let schedule = store::write_slots(tx, id, &planned).await?;
    if room_id != before.room_id() {
        store::bump_slots(tx, &[id]).await?;
    }
    let update = SessionUpdate {
        room_id: Some(room_id),
        time_zone: Some(zone.map_or(zone_name, |z| z.name().to_owned())),
        capacity: Some(capacity),
        enrolment_deadline: Some(deadline),
        duration_note: Some(duration_note),
        qualiopi_scope: changes.qualiopi_scope,
        bpf_scope: changes.bpf_scope,
        schedule: Some(schedule),
        ..SessionUpdate::default()
    };
    store::update_session(tx, &before, update).await?;
    let after = reload(tx, id).await?;
    tell_if_moved(tx, &current, &after).await?;
    Ok(after)
}

/// Replaces every half-day of a session (administrators). Half-days that stay keep their id;
/// those removed or moved that hold marks are refused unless `on_marks` keeps their history, and
/// a session that has started with confirmed trainees keeps its start (see [`reschedule`]).
pub async fn replace_slots(
    tx: &mut WriteTx,
    principal: &Principal,
    evidence: &dyn SlotEvidence,
    id: Uuid,
    slots: Vec<SlotInput>,
    on_marks: OnMarks,
) -> Result<Session> {
    require_admin(principal)?;
    let before = lock_open(tx, id).await?;
    let current = reload(tx, id).await?;
    let mut errors = FieldErrors::new();
    let zone = zone_of(before.time_zone(), &mut errors);
    let plan = Plan {
        session_id: id,
        training: &current.training,
        room: Some(&current.room),
        zone,
        capacity: before.capacity(),
        deadline: before.enrolment_deadline(),
        duration_note: before.duration_note(),
    };
    let planned = plan::check(&plan, &slots, &mut errors);
    if planned.is_empty() && before.status() == SessionStatus::Published {
        errors.add("slots", "a published session needs at least one half-day");
    }
    invalid(errors)?;
    let by = principal.person_id;
    reschedule::guard(
        tx,
        &before,
        &current.slots,
        &planned,
        evidence,
        on_marks,
        by,
    )
    .await?;
    let schedule = store::write_slots(tx, id, &planned).await?;
    let update = SessionUpdate {
        schedule: Some(schedule),
        ..SessionUpdate::default()
    };
    store::update_session(tx, &before, update).await?;
    let after = reload(tx, id).await?;
    tell_if_moved(tx, &current, &after).await?;
    Ok(after)
}

/// Records [`Event::SessionMoved`] when a published session's half-days changed their times or
/// the session its room (the people enrolled are then told).
async fn tell_if_moved(tx: &mut WriteTx, before: &Session, after: &Session) -> Result<()> {
    let times = |s: &Session| -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        s.slots
            .iter()
            .map(|slot| (slot.starts_at, slot.ends_at))
            .collect()
    };
    let moved = times(before) != times(after) || before.room.id != after.room.id;
    if moved && after.status == SessionStatus::Published {
        tx.emit([Event::SessionMoved(after.id)]).await?;
    }
    Ok(())
}

/// Opens a session in the catalogue: its training must be published and it needs half-days.
pub async fn publish_session(tx: &mut WriteTx, principal: &Principal, id: Uuid) -> Result<Session> {
    require_admin(principal)?;
    set_status(tx, id, SessionStatus::Published, None).await
}

/// Cancels a session, with a reason.
pub async fn cancel_session(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    reason: &str,
) -> Result<Session> {
    require_admin(principal)?;
    let reason = reason.trim();
    if reason.is_empty() {
        let mut errors = FieldErrors::new();
        errors.add("reason", "say why the session is cancelled");
        return Err(CatalogueError::Invalid(errors));
    }
    set_status(tx, id, SessionStatus::Cancelled, Some(reason.to_owned())).await
}

/// Closes a published session: frozen and no longer listed. Attendance decides when a session
/// may close; this only moves its status.
pub async fn close_session(tx: &mut WriteTx, id: Uuid) -> Result<()> {
    move_status(tx, id, SessionStatus::Published, SessionStatus::Closed).await
}

/// Reopens a closed session (attendance records who and why): published and listed again.
pub async fn reopen_session(tx: &mut WriteTx, id: Uuid) -> Result<()> {
    move_status(tx, id, SessionStatus::Closed, SessionStatus::Published).await
}

async fn move_status(
    tx: &mut WriteTx,
    id: Uuid,
    from: SessionStatus,
    to: SessionStatus,
) -> Result<()> {
    let before = store::lock_session(tx, id)
        .await?
        .ok_or(CatalogueError::SessionNotFound)?;
    if before.status() != from {
        return Err(CatalogueError::SessionFrozen(before.status()));
    }
    let update = SessionUpdate {
        status: Some(to),
        listed: Some(to == SessionStatus::Published),
        ..SessionUpdate::default()
    };
    store::update_session(tx, &before, update).await?;
    Ok(())
}

async fn set_status(
    tx: &mut WriteTx,
    id: Uuid,
    status: SessionStatus,
    reason: Option<String>,
) -> Result<Session> {
    let before = store::lock_session(tx, id)
        .await?
        .ok_or(CatalogueError::SessionNotFound)?;
    if before.status() == status {
        return reload(tx, id).await;
    }
    if !policy::session_is_open(before.status()) {
        return Err(CatalogueError::SessionFrozen(before.status()));
    }
    if status == SessionStatus::Published {
        let training = store::training(tx.conn(), before.training_id())
            .await?
            .ok_or(CatalogueError::TrainingNotFound)?;
        if training.status != TrainingStatus::Published {
            return Err(CatalogueError::TrainingNotPublished);
        }
        if !before.has_slots() {
            let mut errors = FieldErrors::new();
            errors.add(
                "slots",
                "a session needs at least one half-day before it is published",
            );
            return Err(CatalogueError::Invalid(errors));
        }
    }
    let update = SessionUpdate {
        status: Some(status),
        // Publishing requires a published training, so a published session is listed.
        listed: Some(status == SessionStatus::Published),
        cancel_reason: reason,
        ..SessionUpdate::default()
    };
    store::update_session(tx, &before, update).await?;
    if status == SessionStatus::Cancelled {
        store::bump_slots(tx, &[id]).await?;
        tx.emit([Event::SessionCancelled(id)]).await?;
    }
    reload(tx, id).await
}
