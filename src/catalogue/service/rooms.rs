//! Rooms, places and online rooms (Qualiopi ind. 17: premises and their accessibility).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{CatalogueError, Result, invalid, require_admin};
use crate::catalogue::model::{Room, RoomInput, SessionStatus};
use crate::catalogue::store;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};
use crate::values::{Country, HttpUrl, Parse};

fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A place needs an address, a city, a country and a capacity; an online room needs an
/// http(s) join link. Both state their accessibility.
fn validate(input: RoomInput) -> Result<RoomInput> {
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", &input.name, 200);
    let accessibility = required_text(&mut errors, "accessibility", &input.accessibility, 4000);
    let address = optional(input.address);
    let city = optional(input.city);
    let country = optional(input.country);
    let join_url = optional(input.join_url);
    if input.is_online {
        errors.check(
            join_url
                .as_deref()
                .is_some_and(|u| HttpUrl::parse(u).is_ok()),
            "join_url",
            "an online room needs an http(s) join link",
        );
    } else {
        errors.check(address.is_some(), "address", "a place needs an address");
        errors.check(city.is_some(), "city", "a place needs a city");
        errors.check(
            input.capacity.is_some(),
            "capacity",
            "a place needs a capacity",
        );
    }
    let country = match &country {
        Some(raw) => errors
            .parse::<Country>("country", raw)
            .map(Country::into_inner),
        None if !input.is_online => {
            errors.add("country", "a place needs a country");
            None
        }
        None => None,
    };
    if let Some(capacity) = input.capacity {
        errors.check(
            (1..=10_000).contains(&capacity),
            "capacity",
            "must be between 1 and 10000",
        );
    }
    invalid(errors)?;
    Ok(RoomInput {
        name,
        is_online: input.is_online,
        address,
        city,
        country,
        join_url,
        capacity: input.capacity,
        accessibility,
    })
}

/// Creates a room (administrators).
pub async fn create_room(
    tx: &mut WriteTx,
    principal: &Principal,
    input: RoomInput,
) -> Result<Room> {
    create_room_with_id(tx, principal, Uuid::now_v7(), input).await
}

/// Creates a room with a given id (demo data keeps its ids stable).
pub async fn create_room_with_id(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    input: RoomInput,
) -> Result<Room> {
    require_admin(principal)?;
    let input = validate(input)?;
    Ok(store::insert_room(tx, id, input).await?)
}

/// Replaces a room's description. Its capacity cannot drop below a planned session's.
pub async fn update_room(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    input: RoomInput,
) -> Result<Room> {
    require_admin(principal)?;
    let input = validate(input)?;
    if let Some(capacity) = input.capacity {
        let planned = [SessionStatus::Draft, SessionStatus::Published];
        if let Some(largest) = store::largest_session_in_room(tx.conn(), id, &planned).await?
            && capacity < largest
        {
            let mut errors = FieldErrors::new();
            errors.add(
                "capacity",
                format!("a planned session in this room has {largest} places"),
            );
            return Err(CatalogueError::Invalid(errors));
        }
    }
    let before = store::room(tx.conn(), id).await?;
    let after = store::replace_room(tx, id, input)
        .await?
        .ok_or(CatalogueError::RoomNotFound)?;
    // A new address or link moves the sessions held there: their trainees are told.
    let place = |r: &Room| {
        (
            r.name.clone(),
            r.is_online,
            r.address.clone(),
            r.city.clone(),
            r.country.clone(),
            r.join_url.clone(),
        )
    };
    if before.as_ref().is_some_and(|b| place(b) != place(&after)) {
        let now = tx.now();
        let moved = store::upcoming_sessions_in_room(tx.conn(), id, now).await?;
        tx.emit(
            moved
                .into_iter()
                .map(crate::db::outbox::Event::SessionMoved),
        )
        .await?;
    }
    Ok(after)
}

pub async fn get_room(db: &impl ConnectionTrait, principal: &Principal, id: Uuid) -> Result<Room> {
    require_admin(principal)?;
    store::room(db, id)
        .await?
        .ok_or(CatalogueError::RoomNotFound)
}

pub async fn list_rooms(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageRequest,
) -> Result<Page<Room>> {
    require_admin(principal)?;
    Ok(store::list_rooms(db, page).await?)
}
