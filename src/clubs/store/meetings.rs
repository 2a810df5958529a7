//! Meetings (synced).

use chrono::{DateTime, Utc};
use entity::meeting;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::clubs::model::{Meeting, MeetingChanges, MeetingStatus, NewMeeting};
use crate::db::write::WriteTx;
use crate::paging::PageRequest;

pub type MeetingRow = meeting::Model;

pub fn meeting_of(row: MeetingRow) -> Meeting {
    Meeting {
        id: row.id,
        club_id: row.club_id,
        title: row.title,
        agenda: row.agenda,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        time_zone: row.time_zone,
        place: row.place,
        online_url: row.online_url,
        capacity: row.capacity,
        status: row.status,
        cancel_reason: row.cancel_reason,
        quality_scope: row.quality_scope,
        sequence: row.sequence,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn meeting(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Meeting>, DbErr> {
    Ok(meeting::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(meeting_of))
}

/// Reads a meeting and locks it until commit (its RSVPs, marks and minutes are decided one at
/// a time).
pub async fn lock_meeting(tx: &WriteTx, id: Uuid) -> Result<Option<MeetingRow>, DbErr> {
    tx.lock::<meeting::Entity>(id).await
}

/// A page of one club's meetings (by id: creation order), optionally starting within
/// `[from, to)`.
pub async fn meetings_of_club(
    db: &impl ConnectionTrait,
    club_id: Uuid,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    page: &PageRequest,
) -> Result<Vec<Meeting>, DbErr> {
    let mut select = meeting::Entity::find().filter(meeting::Column::ClubId.eq(club_id));
    if let Some(from) = from {
        select = select.filter(meeting::Column::StartsAt.gte(from));
    }
    if let Some(to) = to {
        select = select.filter(meeting::Column::StartsAt.lt(to));
    }
    if let Some(after) = page.after {
        select = select.filter(meeting::Column::Id.gt(after));
    }
    Ok(select
        .order_by_asc(meeting::Column::Id)
        .limit(page.fetch())
        .all(db)
        .await?
        .into_iter()
        .map(meeting_of)
        .collect())
}

/// Every meeting of these clubs (feeds and figures), by start.
pub async fn meetings_of_clubs(
    db: &impl ConnectionTrait,
    club_ids: &[Uuid],
) -> Result<Vec<Meeting>, DbErr> {
    if club_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(meeting::Entity::find()
        .filter(meeting::Column::ClubId.is_in(club_ids.iter().copied()))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(meeting_of)
        .collect())
}

pub async fn insert_meeting(
    tx: &mut WriteTx,
    club_id: Uuid,
    new: NewMeeting,
    by: Uuid,
) -> Result<Meeting, DbErr> {
    let now = tx.now();
    let row = tx
        .insert::<meeting::Entity, _>(meeting::ActiveModel {
            id: Set(Uuid::now_v7()),
            club_id: Set(club_id),
            title: Set(new.title),
            agenda: Set(new.agenda),
            starts_at: Set(new.starts_at),
            ends_at: Set(new.ends_at),
            time_zone: Set(new.time_zone),
            place: Set(new.place),
            online_url: Set(new.online_url),
            capacity: Set(new.capacity),
            status: Set(MeetingStatus::Planned),
            cancel_reason: Set(None),
            quality_scope: Set(new.quality_scope),
            sequence: Set(0),
            created_by: Set(by),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(0),
        })
        .await?;
    Ok(meeting_of(row))
}

/// Applies `changes`; a new time, place or link bumps the iCalendar sequence.
pub async fn update_meeting(
    tx: &mut WriteTx,
    before: &MeetingRow,
    changes: MeetingChanges,
) -> Result<Meeting, DbErr> {
    let mut row = before.clone().into_active_model();
    let mut moved = false;
    if let Some(v) = changes.title {
        row.title = Set(v);
    }
    if let Some(v) = changes.agenda {
        row.agenda = Set(v);
    }
    if let Some(v) = changes.starts_at {
        moved |= v != before.starts_at;
        row.starts_at = Set(v);
    }
    if let Some(v) = changes.ends_at {
        moved |= v != before.ends_at;
        row.ends_at = Set(v);
    }
    if let Some(v) = changes.time_zone {
        row.time_zone = Set(v);
    }
    if let Some(v) = changes.place {
        moved |= v != before.place;
        row.place = Set(v);
    }
    if let Some(v) = changes.online_url {
        moved |= v != before.online_url;
        row.online_url = Set(v);
    }
    if let Some(v) = changes.capacity {
        row.capacity = Set(v);
    }
    if let Some(v) = changes.quality_scope {
        row.quality_scope = Set(v);
    }
    if moved {
        row.sequence = Set(before.sequence + 1);
    }
    row.updated_at = Set(tx.now());
    Ok(meeting_of(
        tx.update::<meeting::Entity, _>(before, row).await?,
    ))
}

/// Sets a meeting's status (a cancellation bumps the iCalendar sequence and keeps its reason).
pub async fn set_meeting_status(
    tx: &mut WriteTx,
    before: &MeetingRow,
    status: MeetingStatus,
    reason: Option<String>,
) -> Result<Meeting, DbErr> {
    let mut row = before.clone().into_active_model();
    row.status = Set(status);
    if status == MeetingStatus::Cancelled {
        row.cancel_reason = Set(reason);
        row.sequence = Set(before.sequence + 1);
    }
    row.updated_at = Set(tx.now());
    Ok(meeting_of(
        tx.update::<meeting::Entity, _>(before, row).await?,
    ))
}
