//! What the sessions endpoints read and answer.

use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::nullable::Nullable;

use super::vocabulary::SessionStatusView;
use super::{RoomView, SlotRequest, SlotView, TrainerName};
use crate::catalogue::model::Session;
use crate::catalogue::service::OnMarks;
use crate::http::dates::ZoneName;
use crate::http::patch::Patch;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;

/// A session as administrators and its trainers see it.
///
/// - `status`: Draft, published, closed or cancelled.
/// - `room`: Where it happens (a place or an online room).
#[derive(Debug, Object)]
pub struct SessionView {
    /// Identifier.
    pub id: Uuid,
    /// The training this session runs.
    pub training_id: Uuid,
    /// Title of the training.
    pub training_title: String,
    pub status: SessionStatusView,
    /// Why it was cancelled.
    pub cancel_reason: Nullable<String>,
    /// IANA time zone of the session; half-days are planned in it.
    pub time_zone: String,
    pub room: RoomView,
    /// Places.
    pub capacity: i32,
    /// Places taken by confirmed enrolments.
    pub seats_taken: i32,
    /// Places left.
    pub seats_left: i32,
    /// Last moment to enrol (UTC), if any.
    pub enrolment_deadline: Nullable<Timestamp>,
    /// Who teaches it.
    pub trainers: Vec<TrainerName>,
    /// Counts in the Qualiopi evidence.
    pub qualiopi_scope: bool,
    /// Counts in the yearly BPF.
    pub bpf_scope: bool,
    /// Why the half-days' total differs from the training's duration, if it does.
    pub duration_note: Nullable<String>,
    /// Sum of the half-days, in minutes.
    pub planned_minutes: i32,
    /// Start of the first half-day (UTC).
    pub starts_at: Nullable<Timestamp>,
    /// End of the last half-day (UTC).
    pub ends_at: Nullable<Timestamp>,
    /// The half-days, in time order.
    pub slots: Vec<SlotView>,
    /// Creation time (UTC).
    pub created_at: Timestamp,
    /// Last change (UTC).
    pub updated_at: Timestamp,
}

impl From<Session> for SessionView {
    fn from(s: Session) -> Self {
        Self {
            id: s.id,
            training_id: s.training.id,
            training_title: s.training.programme.title.clone(),
            status: s.status.into(),
            cancel_reason: Nullable(s.cancel_reason.clone()),
            time_zone: s.time_zone.clone(),
            room: (&s.room).into(),
            capacity: s.capacity,
            seats_taken: s.seats_taken,
            seats_left: s.seats_left(),
            enrolment_deadline: Nullable(s.enrolment_deadline.map(Into::into)),
            trainers: s.trainers.iter().map(Into::into).collect(),
            qualiopi_scope: s.qualiopi_scope,
            bpf_scope: s.bpf_scope,
            duration_note: Nullable(s.duration_note.clone()),
            planned_minutes: s.planned_minutes,
            starts_at: Nullable(s.starts_at.map(Into::into)),
            ends_at: Nullable(s.ends_at.map(Into::into)),
            slots: s.slots.iter().map(Into::into).collect(),
            created_at: s.created_at.into(),
            updated_at: s.updated_at.into(),
        }
    }
}

/// A new session.
///
/// - `time_zone`: IANA time zone (default `Europe/Paris`), e.g. `Africa/Lome`, `America/Montreal`.
#[derive(Debug, Object)]
pub struct CreateSessionRequest {
    /// The training to run.
    pub training_id: Uuid,
    /// Where: a place or an online room.
    pub room_id: Uuid,
    pub time_zone: Patch<ZoneName>,
    /// Places (at most the room's capacity).
    #[oai(validator(minimum(value = "1"), maximum(value = "10000")))]
    pub capacity: i32,
    /// Last moment to enrol (not after the first half-day starts).
    #[oai(nullable)]
    pub enrolment_deadline: Option<Timestamp>,
    /// Trainers (people holding the trainer role).
    #[oai(nullable, validator(max_items = 20))]
    pub trainer_ids: Option<Vec<Uuid>>,
    /// Counts in the Qualiopi evidence (default true).
    #[oai(nullable)]
    pub qualiopi_scope: Option<bool>,
    /// Counts in the yearly BPF (default true).
    #[oai(nullable)]
    pub bpf_scope: Option<bool>,
    /// Why the half-days do not add up to the training's duration, when they do not.
    #[oai(nullable, validator(max_length = 2000))]
    pub duration_note: Option<Text>,
    /// The half-days, in the session's local time.
    #[oai(nullable, validator(max_items = 200))]
    pub slots: Option<Vec<SlotRequest>>,
}

/// What to do with the attendance marks and countersignatures of half-days that a change
/// removes or moves (absent: such a change is refused with 409 `catalogue.slots_hold_marks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "OnMarks", rename_all = "snake_case")]
pub enum OnMarksView {
    /// Archive them: each leaves the live sheet (devices get a tombstone) and is kept in the
    /// attendance history with the reschedule as its reason, readable at `GET
    /// /api/v1/sessions/{id}/attendance/archive` and on the sheet's PDF.
    KeepHistory,
}

impl From<Option<OnMarksView>> for OnMarks {
    fn from(view: Option<OnMarksView>) -> Self {
        match view {
            Some(OnMarksView::KeepHistory) => Self::KeepHistory,
            None => Self::Refuse,
        }
    }
}

/// Changes to a session; absent fields are left as they are.
///
/// - `time_zone`: New time zone: the half-days keep their local times and move in UTC.
/// - `on_marks`: When a new time zone moves half-days that hold attendance marks or a
///   countersignature: `keep_history` archives them; absent, the change is refused (409
///   `catalogue.slots_hold_marks`).
#[derive(Debug, Object)]
pub struct UpdateSessionRequest {
    /// New room.
    pub room_id: Patch<Uuid>,
    pub time_zone: Patch<ZoneName>,
    /// New number of places (not below the places taken, not above the room's).
    #[oai(validator(minimum(value = "1"), maximum(value = "10000")))]
    pub capacity: Patch<i32>,
    /// New deadline, or `null` for none; absent leaves it unchanged.
    #[oai(nullable)]
    pub enrolment_deadline: MaybeUndefined<DateTime<Utc>>,
    /// New set of trainers.
    #[oai(validator(max_items = 20))]
    pub trainer_ids: Patch<Vec<Uuid>>,
    /// Counts in the Qualiopi evidence.
    pub qualiopi_scope: Patch<bool>,
    /// Counts in the yearly BPF.
    pub bpf_scope: Patch<bool>,
    /// New duration note, or `null` to remove it; absent leaves it unchanged.
    #[oai(nullable, validator(max_length = 2000))]
    pub duration_note: MaybeUndefined<Text>,
    pub on_marks: Patch<OnMarksView>,
}

/// Every half-day of a session.
///
/// - `on_marks`: When half-days this removes or moves (a new start or end) hold attendance
///   marks or a countersignature: `keep_history` archives them; absent, the change is refused
///   (409 `catalogue.slots_hold_marks`, `fields.slot_ids` naming them).
#[derive(Debug, Object)]
pub struct SlotsRequest {
    /// The half-days; half-days that stay keep their id.
    #[oai(validator(max_items = 200))]
    pub slots: Vec<SlotRequest>,
    pub on_marks: Patch<OnMarksView>,
}

/// The half-days of a session.
#[derive(Debug, Object)]
pub struct SlotsView {
    /// IANA time zone the local times are in.
    pub time_zone: String,
    /// The half-days, in time order.
    pub items: Vec<SlotView>,
    /// Sum, in minutes.
    pub planned_minutes: i32,
}

impl From<&Session> for SlotsView {
    fn from(session: &Session) -> Self {
        Self {
            time_zone: session.time_zone.clone(),
            planned_minutes: session.planned_minutes,
            items: session.slots.iter().map(Into::into).collect(),
        }
    }
}

pub use crate::http::cancel::CancelRequest;
