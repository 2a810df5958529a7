//! Rooms, places and online rooms.

use std::collections::BTreeMap;

use entity::{room, training_session};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::catalogue::model::{Room, RoomInput, SessionStatus, city_key};
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

pub(super) fn room_of(row: &room::Model) -> Room {
    Room {
        id: row.id,
        name: row.name.clone(),
        is_online: row.is_online,
        address: row.address.clone(),
        city: row.city.clone(),
        country: row.country.clone(),
        join_url: row.join_url.clone(),
        capacity: row.capacity,
        accessibility: row.accessibility.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn room(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Room>, DbErr> {
    Ok(room::Entity::find_by_id(id)
        .one(db)
        .await?
        .as_ref()
        .map(room_of))
}

pub async fn rooms(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<BTreeMap<Uuid, Room>, DbErr> {
    Ok(query::by_ids::<room::Entity>(db, room::Column::Id, ids)
        .await?
        .iter()
        .map(|r| (r.id, room_of(r)))
        .collect())
}

pub async fn list_rooms(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> Result<Page<Room>, DbErr> {
    let rows =
        query::keyset_page(db, room::Entity::find(), room::Column::Id, page, |r| r.id).await?;
    Ok(rows.map(|r| room_of(&r)))
}

/// Inserts a validated room.
pub async fn insert_room(tx: &mut WriteTx, id: Uuid, input: RoomInput) -> Result<Room, DbErr> {
    let now = tx.now();
    let row = tx
        .insert(room::ActiveModel {
            id: Set(id),
            name: Set(input.name),
            is_online: Set(input.is_online),
            address: Set(input.address),
            city_key: Set(input.city.as_deref().map(city_key)),
            city: Set(input.city),
            country: Set(input.country),
            join_url: Set(input.join_url),
            capacity: Set(input.capacity),
            accessibility: Set(input.accessibility),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(0),
        })
        .await?;
    Ok(room_of(&row))
}

/// Locks a room and replaces its description; `None` when there is no such room.
pub async fn replace_room(
    tx: &mut WriteTx,
    id: Uuid,
    input: RoomInput,
) -> Result<Option<Room>, DbErr> {
    let Some(before) = tx.lock::<room::Entity>(id).await? else {
        return Ok(None);
    };
    let mut row = before.clone().into_active_model();
    row.name = Set(input.name);
    row.is_online = Set(input.is_online);
    row.address = Set(input.address);
    row.city_key = Set(input.city.as_deref().map(city_key));
    row.city = Set(input.city);
    row.country = Set(input.country);
    row.join_url = Set(input.join_url);
    row.capacity = Set(input.capacity);
    row.accessibility = Set(input.accessibility);
    row.updated_at = Set(tx.now());
    let after = tx.update(&before, row).await?;
    let moved = before.name != after.name
        || before.is_online != after.is_online
        || before.address != after.address
        || before.city != after.city
        || before.country != after.country
        || before.join_url != after.join_url;
    if moved {
        let sessions: Vec<Uuid> = training_session::Entity::find()
            .filter(training_session::Column::RoomId.eq(id))
            .all(tx.conn())
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        super::bump_slots(tx, &sessions).await?;
    }
    Ok(Some(room_of(&after)))
}

/// The largest capacity of the sessions in a room that are in one of `statuses`.
pub async fn largest_session_in_room(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    statuses: &[SessionStatus],
) -> Result<Option<i32>, DbErr> {
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::RoomId.eq(room_id))
        .filter(training_session::Column::Status.is_in(statuses.iter().copied()))
        .all(db)
        .await?;
    Ok(sessions.iter().map(|s| s.capacity).max())
}

/// The published sessions held in a room that have not ended at `now`.
pub async fn upcoming_sessions_in_room(
    db: &impl ConnectionTrait,
    room_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(training_session::Entity::find()
        .filter(training_session::Column::RoomId.eq(room_id))
        .filter(training_session::Column::Status.eq(SessionStatus::Published))
        .filter(training_session::Column::EndsAt.gt(now))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}
