//! A mark as the API shows it: what was recorded, by whom, and every change it went through.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::attendance::model::{self, Event, Mark};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// What a mark records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "MarkStatus",
    rename_all = "snake_case",
    remote = "model::MarkStatus"
)]
pub enum MarkStatusView {
    /// Present for the whole half-day.
    Present,
    /// Present, less `late_minutes` at the start.
    Late,
    /// Absent.
    Absent,
    /// Absent with a reason accepted in advance.
    Excused,
}

/// Who recorded a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "RecordedAs",
    rename_all = "snake_case",
    remote = "model::RecordedAs"
)]
pub enum RecordedAsView {
    /// The trainee's own check-in.
    Trainee,
    /// A trainer of the session.
    Trainer,
    /// An administrator.
    Admin,
}

/// A trainee's attendance at one half-day.
///
/// - `status`: What was recorded.
/// - `recorded_as`: In which capacity `recorded_by` recorded it.
#[derive(Debug, Object)]
pub struct MarkView {
    /// The mark's id: the UUIDv5 of (half-day, person), the same on every device.
    pub id: Uuid,
    /// The half-day.
    pub slot_id: Uuid,
    /// Its session.
    pub session_id: Uuid,
    /// The trainee.
    pub person_id: Uuid,
    pub status: MarkStatusView,
    /// Minutes missed at the start (`late` only).
    pub late_minutes: Nullable<i32>,
    /// SHA-256 (hex) of the trainee's signature image, if signed.
    pub signature_sha256: Nullable<String>,
    /// When the trainee signed (UTC), if signed.
    pub signed_at: Nullable<Timestamp>,
    /// Who recorded the mark.
    pub recorded_by: Uuid,
    pub recorded_as: RecordedAsView,
    /// The device it was recorded on, if any.
    pub device_id: Nullable<Uuid>,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
    /// When the server received the signature (unsigned: this state) — the request's instant
    /// online, the push's for a device. The witness beside the declared `signed_at`; an
    /// administrator's correction keeps the trainee's.
    pub received_at: Timestamp,
    /// For a mark a device recorded: the device's clock when it recorded it (UTC).
    pub device_recorded_at: Nullable<Timestamp>,
    /// For a mark a device recorded: its clock minus the server's at the push, in
    /// milliseconds, when the device said its time (`device_time` in the push).
    pub device_clock_offset_ms: Nullable<i64>,
}

impl From<Mark> for MarkView {
    fn from(m: Mark) -> Self {
        Self {
            id: m.id,
            slot_id: m.slot_id,
            session_id: m.session_id,
            person_id: m.person_id,
            status: m.status.into(),
            late_minutes: Nullable(m.late_minutes),
            signature_sha256: Nullable(m.signature_sha256),
            signed_at: Nullable(m.signed_at.map(Into::into)),
            recorded_by: m.recorded_by,
            recorded_as: m.recorded_as.into(),
            device_id: Nullable(m.device_id),
            updated_at: m.updated_at.into(),
            received_at: m.received_at.into(),
            device_recorded_at: Nullable(m.device.map(|d| d.recorded_at.into())),
            device_clock_offset_ms: Nullable(m.device.and_then(|d| d.clock_offset_ms)),
        }
    }
}

/// One change of a mark: who made it, when, and the state it left (the entry before it is what
/// it changed from).
#[derive(Debug, Object)]
pub struct MarkChangeView {
    /// When (UTC).
    pub at: Timestamp,
    /// Who.
    pub by: Uuid,
    /// What it did: `set` (recorded), `correct` (an administrator's correction after the
    /// half-day, with its reason), `clear` (a device cleared it) or `archived` (its half-day was
    /// removed or moved; the mark left the sheet, see the session's attendance archive).
    pub action: String,
    /// The status it set.
    pub status: String,
    /// Late minutes it set.
    pub late_minutes: Nullable<i64>,
    /// The signature image it set (SHA-256, hex).
    pub signature_sha256: Nullable<String>,
    /// Why, when the change said (always for a correction).
    pub reason: Nullable<String>,
    /// When the server received the signature the change left (or the change itself, unsigned).
    pub received_at: Nullable<Timestamp>,
}

impl From<Event> for MarkChangeView {
    fn from(e: Event) -> Self {
        let after = e.after.unwrap_or_default();
        Self {
            at: e.at.into(),
            by: e.by,
            action: e.action,
            status: after["status"].as_str().unwrap_or_default().to_owned(),
            late_minutes: Nullable(after["late_minutes"].as_i64()),
            signature_sha256: Nullable(after["signature_sha256"].as_str().map(str::to_owned)),
            reason: Nullable(e.reason),
            received_at: Nullable(
                after["received_at"]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&chrono::Utc).into()),
            ),
        }
    }
}

/// A mark with every change it went through, oldest first.
///
/// - `mark`: The mark as it stands.
#[derive(Debug, Object)]
pub struct MarkHistoryView {
    pub mark: MarkView,
    /// Every change, oldest first (nothing is ever deleted).
    pub history: Vec<MarkChangeView>,
}
