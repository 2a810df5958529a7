//! Sessions and their half-day slots: planning, publication, cancellation, and who may see them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::{person, room, slot, training_session};
use sea_orm::{ConnectionTrait, DatabaseConnection, IntoActiveModel, Set};
use uuid::Uuid;

use super::trainings::{Training, decode};
use super::{CatalogueError, Result, conflict, invalid, require_admin};
use crate::accounts::model::{Principal, Role};
use crate::catalogue::model::{SessionStatus, Theme, TrainingStatus};
use crate::catalogue::store::{self, SessionQuery};
use crate::catalogue::time::{self, PlannedSlot, SlotInput};
use crate::db::write::WriteTx;
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
}

/// A session with everything a reader needs.
#[derive(Debug, Clone)]
pub struct Session {
    pub row: training_session::Model,
    pub status: SessionStatus,
    pub training: Training,
    pub room: room::Model,
    pub trainers: Vec<person::Model>,
    pub slots: Vec<slot::Model>,
}

impl Session {
    pub fn seats_left(&self) -> i32 {
        (self.row.capacity - self.row.seats_taken).max(0)
    }
}

/// What a plan is checked against.
struct Plan<'a> {
    session_id: Uuid,
    training: &'a Training,
    room: Option<&'a room::Model>,
    zone: Option<Tz>,
    capacity: i32,
    deadline: Option<DateTime<Utc>>,
    duration_note: Option<&'a str>,
}

/// Checks a session's plan and places its slots; every problem is named by field.
fn check_plan(plan: &Plan<'_>, slots: &[SlotInput], errors: &mut FieldErrors) -> Vec<PlannedSlot> {
    if plan.capacity < 1 {
        errors.add("capacity", "must be at least 1");
    }
    if let Some(room_capacity) = plan.room.and_then(|r| r.capacity)
        && plan.capacity > room_capacity
    {
        errors.add("capacity", format!("the room holds {room_capacity} people"));
    }
    let Some(zone) = plan.zone else {
        return Vec::new();
    };
    let planned = time::plan(plan.session_id, zone, slots, errors);
    if !planned.is_empty() {
        let total: i32 = planned.iter().map(|s| s.minutes).sum();
        let expected = plan.training.programme.duration_minutes;
        if total != expected && plan.duration_note.is_none_or(|n| n.trim().is_empty()) {
            errors.add(
                "slots",
                format!("the half-days add up to {total} minutes but the training lasts {expected}; give duration_note to explain"),
            );
        }
        if let (Some(deadline), Some(first)) = (plan.deadline, planned.first())
            && deadline > first.starts_at
        {
            errors.add(
                "enrolment_deadline",
                "must not be after the first half-day starts",
            );
        }
    }
    planned
}

fn zone_of(name: &str, errors: &mut FieldErrors) -> Option<Tz> {
    let zone = time::parse_zone(name);
    if zone.is_none() {
        errors.add(
            "time_zone",
            format!("{name:?} is not an IANA time zone (e.g. Europe/Paris, Africa/Lome)"),
        );
    }
    zone
}

async fn check_trainers(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    errors: &mut FieldErrors,
) -> Result<Vec<Uuid>> {
    let unique: Vec<Uuid> = ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let found = store::trainer_people(db, Some(&unique), None, unique.len() as u64 + 1).await?;
    for id in &unique {
        if !found.iter().any(|p| p.id == *id) {
            errors.add("trainer_ids", format!("{id} is not a trainer"));
        }
    }
    Ok(unique)
}

/// Writes the planned slots: new ones inserted, changed ones updated, missing ones deleted
/// (devices get a tombstone). Returns the session's first start, last end and total minutes.
async fn write_slots(
    tx: &mut WriteTx,
    session_id: Uuid,
    planned: &[PlannedSlot],
) -> Result<(Option<DateTime<Utc>>, Option<DateTime<Utc>>, i32)> {
    let existing = store::slots_of(tx.conn(), &[session_id])
        .await?
        .remove(&session_id)
        .unwrap_or_default();
    let wanted: BTreeSet<Uuid> = planned.iter().map(|p| p.id).collect();
    for old in existing.iter().filter(|s| !wanted.contains(&s.id)) {
        tx.delete::<slot::Entity>(old.clone()).await?;
    }
    for p in planned {
        let row = slot::ActiveModel {
            id: Set(p.id),
            session_id: Set(session_id),
            local_date: Set(p.date),
            period: Set(p.period.as_str().into()),
            local_start: Set(time::format_time(p.local_start)),
            local_end: Set(time::format_time(p.local_end)),
            starts_at: Set(p.starts_at),
            ends_at: Set(p.ends_at),
            minutes: Set(p.minutes),
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
                    tx.update(old, row).await?;
                }
            }
        }
    }
    Ok((
        planned.first().map(|p| p.starts_at),
        planned.iter().map(|p| p.ends_at).max(),
        planned.iter().map(|p| p.minutes).sum(),
    ))
}

/// Creates a draft session with its trainers and half-days (administrators).
pub async fn create_session(
    db: &DatabaseConnection,
    principal: &Principal,
    input: SessionInput,
) -> Result<Session> {
    require_admin(principal)?;
    insert_session(db, input, Uuid::now_v7()).await
}

/// Inserts a draft session with a given id, without authorization checks (demo data).
pub async fn insert_session(
    db: &DatabaseConnection,
    input: SessionInput,
    id: Uuid,
) -> Result<Session> {
    let mut errors = FieldErrors::new();
    let zone_name = input
        .time_zone
        .clone()
        .unwrap_or_else(|| time::DEFAULT_ZONE.to_owned());
    let zone = zone_of(&zone_name, &mut errors);
    let duration_note = input
        .duration_note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut tx = WriteTx::begin(db).await?;
    let training = store::training(tx.conn(), input.training_id).await?;
    if training.is_none() {
        errors.add("training_id", "no such training");
    }
    let room = store::room(tx.conn(), input.room_id).await?;
    if room.is_none() {
        errors.add("room_id", "no such room");
    }
    let trainers = check_trainers(tx.conn(), &input.trainer_ids, &mut errors).await?;
    let Some(training) = training.map(decode).transpose()? else {
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
    let planned = check_plan(&plan, &input.slots, &mut errors);
    invalid(errors)?;
    let now = Utc::now();
    let created = tx
        .insert(training_session::ActiveModel {
            id: Set(id),
            training_id: Set(training.id),
            room_id: Set(input.room_id),
            time_zone: Set(zone_name),
            capacity: Set(input.capacity),
            seats_taken: Set(0),
            enrolment_deadline: Set(input.enrolment_deadline),
            status: Set(SessionStatus::Draft.as_str().into()),
            cancel_reason: Set(None),
            listed: Set(false),
            qualiopi_scope: Set(input.qualiopi_scope.unwrap_or(true)),
            bpf_scope: Set(input.bpf_scope.unwrap_or(true)),
            duration_note: Set(duration_note),
            starts_at: Set(None),
            ends_at: Set(None),
            planned_minutes: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(0),
        })
        .await?;
    store::replace_trainers(&tx, id, &trainers).await?;
    let (starts_at, ends_at, minutes) = write_slots(&mut tx, id, &planned).await?;
    let mut row = created.clone().into_active_model();
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    row.planned_minutes = Set(minutes);
    tx.update(&created, row).await?;
    tx.commit().await?;
    load_one(db, id).await
}

/// Changes a session's room, zone, capacity, deadline, trainers, scopes or duration note; the
/// slots are re-placed in time when the zone changes. Closed and cancelled sessions are frozen.
pub async fn update_session(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    changes: SessionChanges,
) -> Result<Session> {
    require_admin(principal)?;
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<training_session::Entity>(id)
        .await?
        .ok_or(CatalogueError::NotFound("session"))?;
    ensure_open(&before)?;
    let mut errors = FieldErrors::new();
    let zone_name = changes
        .time_zone
        .clone()
        .unwrap_or_else(|| before.time_zone.clone());
    let zone = zone_of(&zone_name, &mut errors);
    let room_id = changes.room_id.unwrap_or(before.room_id);
    let room = store::room(tx.conn(), room_id).await?;
    if room.is_none() {
        errors.add("room_id", "no such room");
    }
    let trainers = match &changes.trainer_ids {
        Some(ids) => Some(check_trainers(tx.conn(), ids, &mut errors).await?),
        None => None,
    };
    let capacity = changes.capacity.unwrap_or(before.capacity);
    if capacity < before.seats_taken {
        errors.add(
            "capacity",
            format!("{} places are already taken", before.seats_taken),
        );
    }
    let duration_note = match changes.duration_note.clone() {
        Some(note) => note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        None => before.duration_note.clone(),
    };
    let deadline = changes
        .enrolment_deadline
        .unwrap_or(before.enrolment_deadline);
    let training = decode(
        store::training(tx.conn(), before.training_id)
            .await?
            .ok_or(CatalogueError::NotFound("training"))?,
    )?;
    let current = store::slots_of(tx.conn(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let inputs: Vec<SlotInput> = current.iter().map(slot_input).collect();
    let plan = Plan {
        session_id: id,
        training: &training,
        room: room.as_ref(),
        zone,
        capacity,
        deadline,
        duration_note: duration_note.as_deref(),
    };
    let planned = check_plan(&plan, &inputs, &mut errors);
    invalid(errors)?;
    if let Some(trainers) = &trainers {
        store::replace_trainers(&tx, id, trainers).await?;
    }
    let (starts_at, ends_at, minutes) = write_slots(&mut tx, id, &planned).await?;
    let mut row = before.clone().into_active_model();
    row.room_id = Set(room_id);
    row.time_zone = Set(zone_name);
    row.capacity = Set(capacity);
    row.enrolment_deadline = Set(deadline);
    row.duration_note = Set(duration_note);
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    row.planned_minutes = Set(minutes);
    if let Some(q) = changes.qualiopi_scope {
        row.qualiopi_scope = Set(q);
    }
    if let Some(b) = changes.bpf_scope {
        row.bpf_scope = Set(b);
    }
    row.updated_at = Set(Utc::now());
    tx.update(&before, row).await?;
    tx.commit().await?;
    load_one(db, id).await
}

fn slot_input(s: &slot::Model) -> SlotInput {
    SlotInput {
        date: s.local_date,
        period: crate::catalogue::model::Period::parse(&s.period),
        start: s.local_start.clone(),
        end: s.local_end.clone(),
    }
}

fn ensure_open(row: &training_session::Model) -> Result<()> {
    match SessionStatus::parse(&row.status) {
        SessionStatus::Closed | SessionStatus::Cancelled => Err(conflict(
            "catalogue.session_frozen",
            format!("the session is {}", row.status),
        )),
        _ => Ok(()),
    }
}

/// Replaces every half-day of a session (administrators). Half-days that stay keep their id.
pub async fn replace_slots(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    slots: Vec<SlotInput>,
) -> Result<Session> {
    require_admin(principal)?;
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<training_session::Entity>(id)
        .await?
        .ok_or(CatalogueError::NotFound("session"))?;
    ensure_open(&before)?;
    let mut errors = FieldErrors::new();
    let zone = zone_of(&before.time_zone, &mut errors);
    let room = store::room(tx.conn(), before.room_id).await?;
    let training = decode(
        store::training(tx.conn(), before.training_id)
            .await?
            .ok_or(CatalogueError::NotFound("training"))?,
    )?;
    let plan = Plan {
        session_id: id,
        training: &training,
        room: room.as_ref(),
        zone,
        capacity: before.capacity,
        deadline: before.enrolment_deadline,
        duration_note: before.duration_note.as_deref(),
    };
    let planned = check_plan(&plan, &slots, &mut errors);
    if planned.is_empty() && SessionStatus::parse(&before.status) == SessionStatus::Published {
        errors.add("slots", "a published session needs at least one half-day");
    }
    invalid(errors)?;
    let (starts_at, ends_at, minutes) = write_slots(&mut tx, id, &planned).await?;
    let mut row = before.clone().into_active_model();
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    row.planned_minutes = Set(minutes);
    row.updated_at = Set(Utc::now());
    tx.update(&before, row).await?;
    tx.commit().await?;
    load_one(db, id).await
}

/// Opens a session in the catalogue: its training must be published and it needs half-days.
pub async fn publish_session(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Session> {
    require_admin(principal)?;
    set_session_status(db, id, SessionStatus::Published, None).await
}

/// Cancels a session, with a reason.
pub async fn cancel_session(
    db: &DatabaseConnection,
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
    set_session_status(db, id, SessionStatus::Cancelled, Some(reason.to_owned())).await
}

/// Moves a session to `status` (no authorization check: callers decide).
pub async fn set_session_status(
    db: &DatabaseConnection,
    id: Uuid,
    status: SessionStatus,
    reason: Option<String>,
) -> Result<Session> {
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<training_session::Entity>(id)
        .await?
        .ok_or(CatalogueError::NotFound("session"))?;
    let current = SessionStatus::parse(&before.status);
    if current == status {
        return load_one(db, id).await;
    }
    ensure_open(&before)?;
    if status == SessionStatus::Published {
        let training = store::training(tx.conn(), before.training_id)
            .await?
            .ok_or(CatalogueError::NotFound("training"))?;
        if training.status != TrainingStatus::Published.as_str() {
            return Err(conflict(
                "catalogue.training_not_published",
                "publish the training before its sessions",
            ));
        }
        if before.starts_at.is_none() {
            let mut errors = FieldErrors::new();
            errors.add(
                "slots",
                "a session needs at least one half-day before it is published",
            );
            return Err(CatalogueError::Invalid(errors));
        }
    }
    let mut row = before.clone().into_active_model();
    row.status = Set(status.as_str().into());
    // Publishing requires a published training, so a published session is listed.
    row.listed = Set(status == SessionStatus::Published);
    if reason.is_some() {
        row.cancel_reason = Set(reason);
    }
    row.updated_at = Set(Utc::now());
    tx.update(&before, row).await?;
    tx.commit().await?;
    load_one(db, id).await
}

fn may_see(principal: &Principal, trainers: &[Uuid]) -> bool {
    principal.is_admin()
        || (principal.has(Role::Trainer) && trainers.contains(&principal.person_id))
}

/// Administrators see any session; trainers the sessions they teach; others get not found.
pub async fn get_session(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Session> {
    let session = load_one(db, id).await?;
    let trainers: Vec<Uuid> = session.trainers.iter().map(|p| p.id).collect();
    if may_see(principal, &trainers) {
        Ok(session)
    } else {
        Err(CatalogueError::NotFound("session"))
    }
}

/// Administrators list every session; trainers the sessions they teach; others may not.
pub async fn list_sessions(
    db: &DatabaseConnection,
    principal: &Principal,
    mut filter: SessionQuery,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Session>> {
    if !principal.is_admin() {
        if !principal.has(Role::Trainer) {
            return Err(CatalogueError::Forbidden(
                "only administrators and trainers list sessions",
            ));
        }
        filter.taught_by = Some(principal.person_id);
    }
    let rows = store::list_sessions(db, &filter, after, limit).await?;
    load(db, rows).await
}

/// Public filters of the catalogue's sessions.
#[derive(Debug, Clone, Default)]
pub struct PublicSessionFilter {
    pub training_id: Option<Uuid>,
    pub theme: Option<Theme>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub online: Option<bool>,
    pub city: Option<String>,
    pub available: Option<bool>,
}

/// Published sessions of published trainings, for everyone.
pub async fn public_sessions(
    db: &DatabaseConnection,
    filter: PublicSessionFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Session>> {
    let query = SessionQuery {
        statuses: Vec::new(),
        training_id: filter.training_id,
        theme: filter.theme,
        from: filter.from,
        to: filter.to,
        online: filter.online,
        city: filter.city,
        available_at: filter.available.filter(|a| *a).map(|_| Utc::now()),
        taught_by: None,
        listed_only: true,
    };
    let rows = store::list_sessions(db, &query, after, limit).await?;
    load(db, rows).await
}

/// A published session of a published training; any other is not found.
pub async fn public_session(db: &DatabaseConnection, id: Uuid) -> Result<Session> {
    let session = load_one(db, id).await?;
    if session.status == SessionStatus::Published
        && session.training.status == TrainingStatus::Published
    {
        Ok(session)
    } else {
        Err(CatalogueError::NotFound("session"))
    }
}

async fn load_one(db: &impl ConnectionTrait, id: Uuid) -> Result<Session> {
    let row = store::session(db, id)
        .await?
        .ok_or(CatalogueError::NotFound("session"))?;
    load(db, vec![row])
        .await?
        .pop()
        .ok_or(CatalogueError::NotFound("session"))
}

async fn load(
    db: &impl ConnectionTrait,
    rows: Vec<training_session::Model>,
) -> Result<Vec<Session>> {
    let ids: Vec<Uuid> = rows.iter().map(|s| s.id).collect();
    let training_ids: Vec<Uuid> = rows.iter().map(|s| s.training_id).collect();
    let room_ids: Vec<Uuid> = rows.iter().map(|s| s.room_id).collect();
    let mut trainings = store::trainings(db, &training_ids).await?;
    let rooms = store::rooms(db, &room_ids).await?;
    let trainers_of = store::trainers_of(db, &ids).await?;
    let trainer_ids: Vec<Uuid> = trainers_of
        .values()
        .flatten()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people: BTreeMap<Uuid, person::Model> = store::people(db, &trainer_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut slots = store::slots_of(db, &ids).await?;
    let mut decoded: BTreeMap<Uuid, Training> = BTreeMap::new();
    for id in training_ids {
        if let Some(row) = trainings.remove(&id) {
            decoded.insert(id, decode(row)?);
        }
    }
    let mut sessions = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(training), Some(room)) = (decoded.get(&row.training_id), rooms.get(&row.room_id))
        else {
            return Err(CatalogueError::NotFound("session's training or room"));
        };
        let trainers = trainers_of
            .get(&row.id)
            .into_iter()
            .flatten()
            .filter_map(|p| people.get(p).cloned())
            .collect();
        sessions.push(Session {
            status: SessionStatus::parse(&row.status),
            training: training.clone(),
            room: room.clone(),
            trainers,
            slots: slots.remove(&row.id).unwrap_or_default(),
            row,
        });
    }
    Ok(sessions)
}
