//! The API's attendance types and their conversions from the domain.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::attendance::model::{self, Closure, Event, Flag, Mark, Sheet, Signoff};
use crate::http::dates::DateText;
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

/// A cell of the attendance sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "SheetCellStatus", rename_all = "snake_case")]
pub enum CellStatusView {
    /// Nothing recorded yet.
    Unrecorded,
    /// Present.
    Present,
    /// Late.
    Late,
    /// Absent.
    Absent,
    /// Excused.
    Excused,
}

impl From<Option<model::MarkStatus>> for CellStatusView {
    fn from(status: Option<model::MarkStatus>) -> Self {
        match status {
            None => Self::Unrecorded,
            Some(model::MarkStatus::Present) => Self::Present,
            Some(model::MarkStatus::Late) => Self::Late,
            Some(model::MarkStatus::Absent) => Self::Absent,
            Some(model::MarkStatus::Excused) => Self::Excused,
        }
    }
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
    /// The status it set.
    pub status: String,
    /// Late minutes it set.
    pub late_minutes: Nullable<i64>,
    /// The signature image it set (SHA-256, hex).
    pub signature_sha256: Nullable<String>,
}

impl From<Event> for MarkChangeView {
    fn from(e: Event) -> Self {
        let after = e.after.unwrap_or_default();
        Self {
            at: e.at.into(),
            by: e.by,
            status: after["status"].as_str().unwrap_or_default().to_owned(),
            late_minutes: Nullable(after["late_minutes"].as_i64()),
            signature_sha256: Nullable(after["signature_sha256"].as_str().map(str::to_owned)),
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

/// A trainer's countersignature of a half-day.
#[derive(Debug, Object)]
pub struct SignoffView {
    /// The half-day.
    pub slot_id: Uuid,
    /// Its session.
    pub session_id: Uuid,
    /// The trainer who signed.
    pub trainer_id: Uuid,
    /// SHA-256 (hex) of the trainer's signature image.
    pub signature_sha256: String,
    /// When the trainer signed (UTC).
    pub signed_at: Timestamp,
    /// Whether the half-day's marks are frozen (countersigned and not reopened).
    pub frozen: bool,
    /// When an administrator reopened it, if they did since.
    pub reopened_at: Nullable<Timestamp>,
    /// Who reopened it.
    pub reopened_by: Nullable<Uuid>,
    /// Why.
    pub reopen_reason: Nullable<String>,
}

impl From<Signoff> for SignoffView {
    fn from(s: Signoff) -> Self {
        let frozen = s.freezes();
        let reopening = s.reopening;
        Self {
            slot_id: s.slot_id,
            session_id: s.session_id,
            trainer_id: s.trainer_id,
            signature_sha256: s.signature_sha256,
            signed_at: s.signed_at.into(),
            frozen,
            reopened_at: Nullable(reopening.as_ref().map(|r| r.at.into())),
            reopened_by: Nullable(reopening.as_ref().map(|r| r.by)),
            reopen_reason: Nullable(reopening.map(|r| r.reason)),
        }
    }
}

/// A half-day of the sheet.
#[derive(Debug, Object)]
pub struct SheetSlotView {
    /// The half-day.
    pub id: Uuid,
    /// Local date in the session's zone.
    pub date: DateText,
    /// `morning` or `afternoon`.
    pub period: String,
    /// Local start, `HH:MM`.
    pub start: String,
    /// Local end, `HH:MM`.
    pub end: String,
    /// Start (UTC).
    pub starts_at: Timestamp,
    /// End (UTC).
    pub ends_at: Timestamp,
    /// Scheduled minutes.
    pub minutes: i32,
    /// Countersigned by a trainer and not reopened.
    pub countersigned: bool,
    /// The trainer who countersigned it, if one did.
    pub countersigned_by: Nullable<Uuid>,
}

/// A trainee's cell for one half-day.
///
/// - `status`: What was recorded (`unrecorded` when nothing was).
#[derive(Debug, Object)]
pub struct SheetCellView {
    /// The half-day.
    pub slot_id: Uuid,
    pub status: CellStatusView,
    /// Minutes missed at the start (`late` only).
    pub late_minutes: Nullable<i32>,
    /// SHA-256 (hex) of the signature image, if signed.
    pub signature_sha256: Nullable<String>,
    /// When the trainee signed (UTC), if signed.
    pub signed_at: Nullable<Timestamp>,
}

/// A trainee's row: one cell per half-day and the minutes attended.
#[derive(Debug, Object)]
pub struct SheetRowView {
    /// The trainee's enrolment.
    pub enrolment_id: Uuid,
    /// The trainee.
    pub person_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// One cell per half-day, in the order of `slots`.
    pub cells: Vec<SheetCellView>,
    /// Minutes attended: present half-days whole, late ones less the minutes missed.
    pub attended_minutes: i32,
    /// Minutes scheduled over all half-days.
    pub scheduled_minutes: i32,
}

/// A session's attendance sheet.
#[derive(Debug, Object)]
pub struct SheetView {
    /// The session.
    pub session_id: Uuid,
    /// The session's IANA time zone (local dates and hours are in it).
    pub time_zone: String,
    /// Whether the session is closed (attendance frozen).
    pub closed: bool,
    /// The half-days, in time order.
    pub slots: Vec<SheetSlotView>,
    /// One row per confirmed (or completed) trainee.
    pub trainees: Vec<SheetRowView>,
}

impl From<Sheet> for SheetView {
    fn from(sheet: Sheet) -> Self {
        let slots = sheet
            .slots
            .iter()
            .map(|s| SheetSlotView {
                id: s.id,
                date: DateText(s.date),
                period: match s.period {
                    model::Period::Morning => "morning".into(),
                    model::Period::Afternoon => "afternoon".into(),
                },
                start: s.local_start.clone(),
                end: s.local_end.clone(),
                starts_at: s.starts_at.into(),
                ends_at: s.ends_at.into(),
                minutes: s.minutes,
                countersigned: s.signoff.as_ref().is_some_and(Signoff::freezes),
                countersigned_by: Nullable(s.signoff.as_ref().map(|o| o.trainer_id)),
            })
            .collect();
        let trainees = sheet
            .rows
            .into_iter()
            .map(|row| SheetRowView {
                enrolment_id: row.enrolment_id,
                person_id: row.person_id,
                first_name: row.first_name,
                last_name: row.last_name,
                cells: sheet
                    .slots
                    .iter()
                    .zip(row.marks)
                    .map(|(slot, mark)| SheetCellView {
                        slot_id: slot.id,
                        status: mark.as_ref().map(|m| m.status).into(),
                        late_minutes: Nullable(mark.as_ref().and_then(|m| m.late_minutes)),
                        signature_sha256: Nullable(
                            mark.as_ref().and_then(|m| m.signature_sha256.clone()),
                        ),
                        signed_at: Nullable(
                            mark.as_ref().and_then(|m| m.signed_at).map(Into::into),
                        ),
                    })
                    .collect(),
                attended_minutes: row.attended_minutes,
                scheduled_minutes: row.scheduled_minutes,
            })
            .collect();
        Self {
            session_id: sheet.session_id,
            time_zone: sheet.time_zone,
            closed: sheet.closed,
            slots,
            trainees,
        }
    }
}

/// A red flag of the checks.
#[derive(Debug, Object)]
pub struct FlagView {
    /// `slot_not_countersigned`, `signature_missing`, `signed_in_one_go`, `signed_long_after`,
    /// `public_holiday`, `trainer_double_booked`, `over_room_capacity`, `identical_signatures`
    /// or `title_mismatch`.
    pub code: String,
    /// What was found, in words.
    pub message: String,
    /// The half-days that show it.
    pub slot_ids: Vec<Uuid>,
    /// The people concerned (trainees, or the trainer).
    pub person_ids: Vec<Uuid>,
}

impl From<Flag> for FlagView {
    fn from(f: Flag) -> Self {
        Self {
            code: f.code.to_owned(),
            message: f.message,
            slot_ids: f.slot_ids,
            person_ids: f.person_ids,
        }
    }
}

/// The checks of a session's attendance.
#[derive(Debug, Object)]
pub struct ChecksView {
    /// The session.
    pub session_id: Uuid,
    /// No flag raised: the session can be closed without a justification.
    pub clean: bool,
    /// Every flag raised, with its evidence.
    pub flags: Vec<FlagView>,
}

/// How a session was closed (and reopened, if it was since).
#[derive(Debug, Object)]
pub struct ClosureView {
    /// The session.
    pub session_id: Uuid,
    /// The administrator who closed it.
    pub closed_by: Uuid,
    /// When (UTC).
    pub closed_at: Timestamp,
    /// Why it was closed despite the flags, if any were raised.
    pub justification: Nullable<String>,
    /// The flags raised when it was closed.
    pub flags: Vec<FlagView>,
    /// When it was reopened, if it was since.
    pub reopened_at: Nullable<Timestamp>,
    /// Who reopened it.
    pub reopened_by: Nullable<Uuid>,
    /// Why.
    pub reopen_reason: Nullable<String>,
}

impl From<Closure> for ClosureView {
    fn from(c: Closure) -> Self {
        let reopening = c.reopening;
        Self {
            session_id: c.session_id,
            closed_by: c.closed_by,
            closed_at: c.closed_at.into(),
            justification: Nullable(c.justification),
            flags: c.flags.into_iter().map(Into::into).collect(),
            reopened_at: Nullable(reopening.as_ref().map(|r| r.at.into())),
            reopened_by: Nullable(reopening.as_ref().map(|r| r.by)),
            reopen_reason: Nullable(reopening.map(|r| r.reason)),
        }
    }
}
