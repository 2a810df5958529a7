//! A session's attendance sheet as the API shows it: its half-days with their
//! countersignatures, one row of cells per trainee.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::attendance::model::{self, Sheet, Signoff};
use crate::http::dates::DateText;
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

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
    /// When the trainer signed (UTC): the server's time online, the device's clock for a
    /// countersignature a device recorded.
    pub signed_at: Timestamp,
    /// When the server received the countersignature (UTC).
    pub received_at: Timestamp,
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
            received_at: s.received_at.into(),
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
    /// When the trainee signed (UTC), if signed, as declared.
    pub signed_at: Nullable<Timestamp>,
    /// When the server received the mark's signature (or state), if recorded.
    pub received_at: Nullable<Timestamp>,
    /// Minutes this half-day counts: all of it present, less the minutes missed late, none
    /// otherwise (nor before a late enrolment's first half-day).
    pub attended_minutes: i32,
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
    /// The organisation the trainee enrolled for, if any.
    pub organisation_id: Nullable<Uuid>,
    /// One cell per half-day, in the order of `slots`.
    pub cells: Vec<SheetCellView>,
    /// Minutes attended: present half-days whole, late ones less the minutes missed.
    pub attended_minutes: i32,
    /// Minutes scheduled: every half-day, or for a late enrolment those from its first half-day
    /// on (attended minutes count only those).
    pub scheduled_minutes: i32,
}

/// A session's attendance sheet.
#[derive(Debug, Object)]
pub struct SheetView {
    /// The session.
    pub session_id: Uuid,
    /// The training it runs.
    pub training_id: Uuid,
    /// The training's title.
    pub training_title: String,
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
                organisation_id: Nullable(row.organisation_id),
                cells: sheet
                    .slots
                    .iter()
                    .zip(row.marks)
                    .zip(row.minutes)
                    .map(|((slot, mark), attended_minutes)| SheetCellView {
                        slot_id: slot.id,
                        status: mark.as_ref().map(|m| m.status).into(),
                        late_minutes: Nullable(mark.as_ref().and_then(|m| m.late_minutes)),
                        signature_sha256: Nullable(
                            mark.as_ref().and_then(|m| m.signature_sha256.clone()),
                        ),
                        signed_at: Nullable(
                            mark.as_ref().and_then(|m| m.signed_at).map(Into::into),
                        ),
                        received_at: Nullable(mark.as_ref().map(|m| m.received_at.into())),
                        attended_minutes,
                    })
                    .collect(),
                attended_minutes: row.attended_minutes,
                scheduled_minutes: row.scheduled_minutes,
            })
            .collect();
        Self {
            session_id: sheet.session_id,
            training_id: sheet.training_id,
            training_title: sheet.training_title,
            time_zone: sheet.time_zone,
            closed: sheet.closed,
            slots,
            trainees,
        }
    }
}
