//! What reschedules took off a session's attendance sheet, as the API shows it.

use poem_openapi::Object;
use uuid::Uuid;

use super::{MarkStatusView, RecordedAsView};
use crate::attendance::model::{
    self, Archive, ArchivedCountersignature, ArchivedHalfDay, ArchivedMark,
};
use crate::http::dates::DateText;
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// A half-day as it stood when its evidence was archived.
#[derive(Debug, Object)]
pub struct ArchivedHalfDayView {
    /// The half-day's id (it may no longer exist, or have moved).
    pub slot_id: Uuid,
    /// Its local date in the session's zone, then.
    pub date: DateText,
    /// `morning` or `afternoon`.
    pub period: String,
    /// Local start, `HH:MM`, then.
    pub start: String,
    /// Local end, `HH:MM`, then.
    pub end: String,
    /// Start (UTC), then.
    pub starts_at: Timestamp,
    /// End (UTC), then.
    pub ends_at: Timestamp,
    /// `removed`, or `moved` (to `moved_to_starts_at`–`moved_to_ends_at`).
    pub change: String,
    /// Where a moved half-day went: its new start (UTC).
    pub moved_to_starts_at: Nullable<Timestamp>,
    /// Its new end (UTC).
    pub moved_to_ends_at: Nullable<Timestamp>,
}

impl From<ArchivedHalfDay> for ArchivedHalfDayView {
    fn from(h: ArchivedHalfDay) -> Self {
        Self {
            slot_id: h.slot_id,
            date: DateText(h.date),
            period: match h.period {
                model::Period::Morning => "morning".into(),
                model::Period::Afternoon => "afternoon".into(),
            },
            start: h.local_start,
            end: h.local_end,
            starts_at: h.starts_at.into(),
            ends_at: h.ends_at.into(),
            change: if h.moved_to.is_some() {
                "moved"
            } else {
                "removed"
            }
            .into(),
            moved_to_starts_at: Nullable(h.moved_to.map(|(s, _)| s.into())),
            moved_to_ends_at: Nullable(h.moved_to.map(|(_, e)| e.into())),
        }
    }
}

/// A trainee's mark archived when its half-day was removed or moved, as it stood.
///
/// - `half_day`: The half-day it was for.
/// - `status`: What it recorded.
/// - `recorded_as`: In which capacity `recorded_by` recorded it.
#[derive(Debug, Object)]
pub struct ArchivedMarkView {
    /// The mark's id (UUIDv5 of half-day and person; its history is kept under it).
    pub mark_id: Uuid,
    /// The trainee.
    pub person_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    pub half_day: ArchivedHalfDayView,
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
    /// Who archived it (the administrator who rescheduled).
    pub archived_by: Uuid,
    /// When (UTC).
    pub archived_at: Timestamp,
    /// Why: the reschedule, naming the half-day and what became of it.
    pub reason: String,
}

impl From<ArchivedMark> for ArchivedMarkView {
    fn from(m: ArchivedMark) -> Self {
        Self {
            mark_id: m.mark_id,
            person_id: m.person_id,
            first_name: m.first_name,
            last_name: m.last_name,
            half_day: m.half_day.into(),
            status: m.status.into(),
            late_minutes: Nullable(m.late_minutes),
            signature_sha256: Nullable(m.signature_sha256),
            signed_at: Nullable(m.signed_at.map(Into::into)),
            recorded_by: m.recorded_by,
            recorded_as: m.recorded_as.into(),
            archived_by: m.archiving.by,
            archived_at: m.archiving.at.into(),
            reason: m.archiving.reason,
        }
    }
}

/// A trainer's countersignature archived with its half-day.
///
/// - `half_day`: The half-day it signed.
#[derive(Debug, Object)]
pub struct ArchivedCountersignatureView {
    /// The trainer who signed.
    pub trainer_id: Uuid,
    pub half_day: ArchivedHalfDayView,
    /// SHA-256 (hex) of the trainer's signature image.
    pub signature_sha256: String,
    /// When the trainer signed (UTC).
    pub signed_at: Timestamp,
    /// Who archived it.
    pub archived_by: Uuid,
    /// When (UTC).
    pub archived_at: Timestamp,
    /// Why: the reschedule.
    pub reason: String,
}

impl From<ArchivedCountersignature> for ArchivedCountersignatureView {
    fn from(c: ArchivedCountersignature) -> Self {
        Self {
            trainer_id: c.trainer_id,
            half_day: c.half_day.into(),
            signature_sha256: c.signature_sha256,
            signed_at: c.signed_at.into(),
            archived_by: c.archiving.by,
            archived_at: c.archiving.at.into(),
            reason: c.archiving.reason,
        }
    }
}

/// What reschedules took off a session's attendance sheet, oldest first (kept for the evidence).
#[derive(Debug, Object)]
pub struct AttendanceArchiveView {
    /// The session.
    pub session_id: Uuid,
    /// Trainees' marks of half-days removed or moved.
    pub marks: Vec<ArchivedMarkView>,
    /// Trainers' countersignatures of those half-days.
    pub countersignatures: Vec<ArchivedCountersignatureView>,
}

impl AttendanceArchiveView {
    pub fn of(session_id: Uuid, archive: Archive) -> Self {
        Self {
            session_id,
            marks: archive.marks.into_iter().map(Into::into).collect(),
            countersignatures: archive
                .countersignatures
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}
