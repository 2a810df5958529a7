//! HTTP endpoints of the catalogue: administrators' trainings, rooms, trainers and sessions, and
//! the public catalogue. No SQL and no rules here.

use chrono::NaiveDate;
use poem_openapi::Object;
use uuid::Uuid;

use crate::http::nullable::Nullable;

use super::model::{PersonName, Room, Slot};
use super::time::SlotInput;
use crate::http::dates::DateText;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;

pub mod public;
pub mod result_views;
pub mod rooms;
pub mod session_views;
pub mod sessions;
pub mod trainers;
pub mod trainings;
pub mod vocabulary;

use vocabulary::PeriodView;

pub use public::CatalogueApi;
pub use rooms::RoomsApi;
pub use sessions::SessionsApi;
pub use trainers::TrainersApi;
pub use trainings::TrainingsApi;

/// The catalogue's operations, in spec order.
pub type Apis = (
    CatalogueApi,
    TrainingsApi,
    SessionsApi,
    RoomsApi,
    TrainersApi,
);

/// A half-day: the unit of attendance.
///
/// - `period`: Morning or afternoon.
#[derive(Debug, Object)]
pub struct SlotView {
    /// Identifier (stable: derived from the session, the date and the period).
    pub id: Uuid,
    /// Local date, in the session's time zone.
    pub date: NaiveDate,
    pub period: PeriodView,
    /// Local start, `HH:MM`.
    pub local_start: String,
    /// Local end, `HH:MM`.
    pub local_end: String,
    /// Start (UTC).
    pub starts_at: Timestamp,
    /// End (UTC).
    pub ends_at: Timestamp,
    /// Duration in minutes.
    pub minutes: i32,
}

impl From<&Slot> for SlotView {
    fn from(s: &Slot) -> Self {
        Self {
            id: s.id,
            date: s.date,
            period: s.period.into(),
            local_start: s.local_start.clone(),
            local_end: s.local_end.clone(),
            starts_at: s.starts_at.into(),
            ends_at: s.ends_at.into(),
            minutes: s.minutes,
        }
    }
}

/// A half-day as a client plans it, in the session's local time.
///
/// - `period`: Morning (starts before 12:00) or afternoon (starts at 12:00 or later).
#[derive(Debug, Object)]
pub struct SlotRequest {
    /// Local date.
    pub date: DateText,
    pub period: PeriodView,
    /// Local start, `HH:MM`.
    #[oai(validator(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub start: Text,
    /// Local end, `HH:MM`, after the start.
    #[oai(validator(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub end: Text,
}

impl From<SlotRequest> for SlotInput {
    fn from(s: SlotRequest) -> Self {
        SlotInput {
            date: s.date.into_inner(),
            period: s.period.into(),
            start: s.start.into_inner(),
            end: s.end.into_inner(),
        }
    }
}

/// A trainer as shown on a session.
#[derive(Debug, Object)]
pub struct TrainerName {
    /// Person id.
    pub id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}

impl From<&PersonName> for TrainerName {
    fn from(p: &PersonName) -> Self {
        Self {
            id: p.id,
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
        }
    }
}

/// A room, a place or an online room.
#[derive(Debug, Object)]
pub struct RoomView {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// An online room (join link) rather than a place.
    pub is_online: bool,
    /// Street address of a place.
    pub address: Nullable<String>,
    /// City of a place.
    pub city: Nullable<String>,
    /// Country of a place, ISO 3166-1 alpha-2.
    pub country: Nullable<String>,
    /// Join link of an online room.
    pub join_url: Nullable<String>,
    /// Seats; absent for an online room without limit.
    pub capacity: Nullable<i32>,
    /// Accessibility to people with disabilities.
    pub accessibility: String,
    /// Creation time (UTC).
    pub created_at: Timestamp,
    /// Last change (UTC).
    pub updated_at: Timestamp,
}

impl From<&Room> for RoomView {
    fn from(r: &Room) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            is_online: r.is_online,
            address: Nullable(r.address.clone()),
            city: Nullable(r.city.clone()),
            country: Nullable(r.country.clone()),
            join_url: Nullable(r.join_url.clone()),
            capacity: Nullable(r.capacity),
            accessibility: r.accessibility.clone(),
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        }
    }
}
