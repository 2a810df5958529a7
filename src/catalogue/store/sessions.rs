//! Sessions, their trainers and their half-days.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::{room, session_trainer, slot, training, training_session};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::{names, rooms, trainings};
use crate::catalogue::model::{Session, SessionFilter, SessionStatus, Slot, city_key};
use crate::catalogue::time::{self, PlannedSlot};
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

fn slot_of(row: slot::Model) -> Slot {
    Slot {
        id: row.id,
        session_id: row.session_id,
        date: row.local_date,
        period: row.period,
        local_start: row.local_start,
        local_end: row.local_end,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        minutes: row.minutes,
    }
}

/// The half-days of each session, in time order.
pub async fn slots_of(
    db: &impl ConnectionTrait,
    session_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<Slot>>, DbErr> {
    let rows = slot::Entity::find()
        .filter(slot::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?;
    Ok(query::group_by(rows.into_iter().map(slot_of), |s| {
        s.session_id
    }))
}

/// Sessions with their training, room, trainers and half-days, in the order given.
async fn assemble(
    db: &impl ConnectionTrait,
    rows: Vec<training_session::Model>,
) -> Result<Vec<Session>, DbErr> {
    let ids: Vec<Uuid> = rows.iter().map(|s| s.id).collect();
    let training_ids: Vec<Uuid> = rows.iter().map(|s| s.training_id).collect();
    let room_ids: Vec<Uuid> = rows.iter().map(|s| s.room_id).collect();
    let trainings: BTreeMap<Uuid, Arc<_>> = trainings(db, &training_ids)
        .await?
        .into_iter()
        .map(|(id, t)| (id, Arc::new(t)))
        .collect();
    let rooms = rooms(db, &room_ids).await?;
    let links =
        query::by_ids::<session_trainer::Entity>(db, session_trainer::Column::SessionId, &ids)
            .await?;
    let trainer_ids: Vec<Uuid> = links
        .iter()
        .map(|l| l.person_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people = names(db, &trainer_ids).await?;
    let trainers_of = query::group_by(links, |l| l.session_id);
    let mut slots = slots_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let (Some(training), Some(room)) =
                (trainings.get(&row.training_id), rooms.get(&row.room_id))
            else {
                return Err(DbErr::RecordNotFound(format!(
                    "training {} or room {} of session {}",
                    row.training_id, row.room_id, row.id
                )));
            };
            let trainers = trainers_of
                .get(&row.id)
                .into_iter()
                .flatten()
                .filter_map(|l| people.get(&l.person_id).cloned())
                .collect();
            Ok(Session {
                id: row.id,
                training: training.clone(),
                room: room.clone(),
                trainers,
                slots: slots.remove(&row.id).unwrap_or_default(),
                status: row.status,
                cancel_reason: row.cancel_reason,
                time_zone: row.time_zone,
                capacity: row.capacity,
                seats_taken: row.seats_taken,
                enrolment_deadline: row.enrolment_deadline,
                qualiopi_scope: row.qualiopi_scope,
                bpf_scope: row.bpf_scope,
                duration_note: row.duration_note,
                planned_minutes: row.planned_minutes,
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

pub async fn session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Session>, DbErr> {
    let Some(row) = training_session::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(assemble(db, vec![row]).await?.pop())
}

pub async fn list_sessions(
    db: &impl ConnectionTrait,
    filter: &SessionFilter,
    page: &PageRequest,
) -> Result<Page<Session>, DbErr> {
    use training_session::Column as S;
    let mut select = training_session::Entity::find();
    if !filter.statuses.is_empty() {
        select = select.filter(S::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(training_id) = filter.training_id {
        select = select.filter(S::TrainingId.eq(training_id));
    }
    if let Some(person) = filter.taught_by {
        select = select.filter(
            S::Id.in_subquery(
                Query::select()
                    .column(session_trainer::Column::SessionId)
                    .from(session_trainer::Entity)
                    .and_where(session_trainer::Column::PersonId.eq(person))
                    .to_owned(),
            ),
        );
    }
    if filter.listed_only {
        select = select.filter(S::Listed.eq(true));
    }
    if let Some(theme) = filter.theme {
        select = select.filter(
            S::TrainingId.in_subquery(
                Query::select()
                    .column(training::Column::Id)
                    .from(training::Entity)
                    .and_where(super::trainings::has_theme(theme))
                    .to_owned(),
            ),
        );
    }
    if let Some(from) = filter.from {
        select = select.filter(S::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(S::StartsAt.lt(to));
    }
    if filter.online.is_some() || filter.city.is_some() {
        let mut rooms = Query::select()
            .column(room::Column::Id)
            .from(room::Entity)
            .to_owned();
        if let Some(online) = filter.online {
            rooms.and_where(room::Column::IsOnline.eq(online));
        }
        if let Some(city) = &filter.city {
            rooms.and_where(room::Column::CityKey.eq(city_key(city)));
        }
        select = select.filter(S::RoomId.in_subquery(rooms));
    }
    if let Some(now) = filter.available_at {
        select = select
            .filter(Expr::col(S::SeatsTaken).lt(Expr::col(S::Capacity)))
            .filter(
                Condition::any()
                    .add(S::EnrolmentDeadline.is_null())
                    .add(S::EnrolmentDeadline.gt(now)),
            );
    }
    let rows = query::keyset_page(db, select, S::Id, page, |s| s.id).await?;
    let next = rows.next;
    Ok(Page {
        items: assemble(db, rows.items).await?,
        next,
    })
}

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
    Ok(Schedule {
        starts_at: planned.first().map(|p| p.starts_at),
        ends_at: planned.iter().map(|p| p.ends_at).max(),
        minutes: planned.iter().map(|p| p.minutes).sum(),
    })
}
