//! Rooms, places and online rooms (Qualiopi ind. 17: premises and their accessibility).

use chrono::Utc;
use entity::room;
use sea_orm::{DatabaseConnection, IntoActiveModel, Set};
use uuid::Uuid;

use super::{CatalogueError, Result, invalid, require_admin};
use crate::accounts::model::Principal;
use crate::catalogue::store;
use crate::db::write::WriteTx;
use crate::validation::{FieldErrors, required_text};

/// A room as a caller describes it.
#[derive(Debug, Clone)]
pub struct RoomInput {
    pub name: String,
    pub is_online: bool,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub join_url: Option<String>,
    pub capacity: Option<i32>,
    pub accessibility: String,
}

/// The searchable form of a city: trimmed and lower-cased with Unicode rules (SQLite's `lower()`
/// only knows ASCII, so the database cannot do it).
pub fn city_key(city: &str) -> String {
    city.trim().to_lowercase()
}

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
    let country = optional(input.country).map(|c| c.to_uppercase());
    let join_url = optional(input.join_url);
    if input.is_online {
        let link_ok = join_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
        errors.check(
            link_ok,
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
    if let Some(country) = &country {
        errors.check(
            country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
            "country",
            "must be an ISO 3166-1 alpha-2 code",
        );
    } else if !input.is_online {
        errors.add("country", "a place needs a country");
    }
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

pub async fn create_room(
    db: &DatabaseConnection,
    principal: &Principal,
    input: RoomInput,
) -> Result<room::Model> {
    require_admin(principal)?;
    insert_room(db, input, Uuid::now_v7()).await
}

/// Inserts a room with a given id, without authorization checks (demo data).
pub async fn insert_room(
    db: &DatabaseConnection,
    input: RoomInput,
    id: Uuid,
) -> Result<room::Model> {
    let input = validate(input)?;
    let now = Utc::now();
    let mut tx = WriteTx::begin(db).await?;
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
    tx.commit().await?;
    Ok(row)
}

/// Replaces a room's description. Its capacity cannot drop below a planned session's.
pub async fn update_room(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    input: RoomInput,
) -> Result<room::Model> {
    require_admin(principal)?;
    let input = validate(input)?;
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<room::Entity>(id)
        .await?
        .ok_or(CatalogueError::NotFound("room"))?;
    if let (Some(capacity), Some(largest)) = (
        input.capacity,
        store::largest_session_in_room(tx.conn(), id).await?,
    ) && capacity < largest
    {
        let mut errors = FieldErrors::new();
        errors.add(
            "capacity",
            format!("a planned session in this room has {largest} places"),
        );
        return Err(CatalogueError::Invalid(errors));
    }
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
    row.updated_at = Set(Utc::now());
    let after = tx.update(&before, row).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn get_room(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<room::Model> {
    require_admin(principal)?;
    store::room(db, id)
        .await?
        .ok_or(CatalogueError::NotFound("room"))
}

pub async fn list_rooms(
    db: &DatabaseConnection,
    principal: &Principal,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<room::Model>> {
    require_admin(principal)?;
    Ok(store::list_rooms(db, after, limit).await?)
}
