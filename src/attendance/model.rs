//! The attendance domain: marks, countersignatures, the history, the sheet with its hours, the
//! checks' flags and what closing a session decides.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

pub use entity::status::{ActivityKind, DropOutCause, MarkStatus, Outcome, Period, RecordedAs};

/// Namespace of mark ids: a mark's id is the UUIDv5 of (activity id, person id) in it, so every
/// device computes the same id for the same half-day and person without asking the server.
pub const MARK_NAMESPACE: Uuid = Uuid::from_u128(0x0193_7a00_0000_5000_8000_0000_0000_a77e);

/// The id of the one mark of `person_id` at `activity_id`.
pub fn mark_id(activity_id: Uuid, person_id: Uuid) -> Uuid {
    let mut name = [0u8; 32];
    name[..16].copy_from_slice(activity_id.as_bytes());
    name[16..].copy_from_slice(person_id.as_bytes());
    Uuid::new_v5(&MARK_NAMESPACE, &name)
}

/// What a mark is about: a half-day of a session, or a club meeting (`context_id` is then the
/// club), so that clubs record attendance with the same marks, signatures and history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub kind: ActivityKind,
    pub id: Uuid,
    pub context_id: Uuid,
}

/// One person's attendance at one half-day (or meeting: `slot_id` is then the meeting and
/// `session_id` the club).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub id: Uuid,
    pub slot_id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub status: MarkStatus,
    pub late_minutes: Option<i32>,
    pub signature_sha256: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub recorded_by: Uuid,
    pub recorded_as: RecordedAs,
    pub device_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    /// When the server received the signature (unsigned: the mark's state): the request's
    /// instant online, the push's for a device. An administrator's correction keeps it.
    pub received_at: DateTime<Utc>,
    /// The device's witness, for a mark a device recorded.
    pub device: Option<DeviceWitness>,
}

impl Mark {
    /// When the server can tell the mark was recorded, by its own clock: when it received it,
    /// or, for a device's, when the device recorded it as its clock offset corrects it (never
    /// after the receipt).
    pub fn witnessed_at(&self) -> DateTime<Utc> {
        self.device
            .map_or(self.received_at, |d| d.witnessed_at(self.received_at))
    }

    /// The declared signing time on the server's clock: a device's corrected by its offset.
    pub fn signed_at_server_time(&self) -> Option<DateTime<Utc>> {
        let at = self.signed_at?;
        Some(self.device.map_or(at, |d| d.to_server_time(at)))
    }
}

/// What a device's write says of its clock: when it recorded the write by that clock, and how
/// far that clock was from the server's at the push (when the device said its time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceWitness {
    pub recorded_at: DateTime<Utc>,
    pub clock_offset_ms: Option<i64>,
}

impl DeviceWitness {
    /// A time the device's clock gave, on the server's clock (unchanged when the offset is not
    /// known).
    pub fn to_server_time(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at - Duration::milliseconds(self.clock_offset_ms.unwrap_or(0))
    }

    /// When the device recorded the write on the server's clock, never after `received_at`.
    pub fn witnessed_at(&self, received_at: DateTime<Utc>) -> DateTime<Utc> {
        self.to_server_time(self.recorded_at).min(received_at)
    }
}

/// The timing rules of attendance evidence (settings; their defaults are in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// A mark or check-in is accepted from this long before its half-day starts.
    pub opens_before: Duration,
    /// A declared signing time this far outside its half-day is flagged.
    pub signing_tolerance: Duration,
    /// Signatures of several half-days witnessed this long after their half-days ended…
    pub received_late_after: Duration,
    /// …and within this span of one another were received together, long after.
    pub received_together_within: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            opens_before: Duration::minutes(30),
            signing_tolerance: Duration::minutes(30),
            received_late_after: Duration::hours(12),
            received_together_within: Duration::minutes(10),
        }
    }
}

impl Timing {
    /// The rules the settings give.
    pub fn of(settings: &crate::config::Settings) -> Self {
        Self {
            opens_before: Duration::minutes(settings.mark_opens_before_minutes),
            signing_tolerance: Duration::minutes(settings.signing_tolerance_minutes),
            received_late_after: Duration::minutes(settings.received_late_after_minutes),
            received_together_within: Duration::minutes(settings.received_together_minutes),
        }
    }
}

/// What a caller sets on a mark. The signature is raw PNG bytes, checked before any write.
#[derive(Debug, Clone)]
pub struct MarkInput {
    pub status: MarkStatus,
    pub late_minutes: Option<i32>,
    pub signature_png: Option<Vec<u8>>,
    /// When the trainee signed (a device recording offline); now when absent.
    pub signed_at: Option<DateTime<Utc>>,
    pub device_id: Option<Uuid>,
    /// Why an administrator corrects the mark of a half-day that has ended (required then).
    pub reason: Option<String>,
}

/// A write pushed by a device: which device, its mutation's sequence number, its hybrid
/// logical clock (already clamped by the server), its clock offset at the push (when it said
/// its time) and when the server received the push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub device_id: Uuid,
    pub seq: i64,
    pub hlc: i64,
    pub clock_offset_ms: Option<i64>,
    pub received_at: DateTime<Utc>,
}

impl Origin {
    /// When the device made the change, by its (clamped) clock.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.hlc >> 16).unwrap_or_default()
    }

    /// What the device's write says of its clock.
    pub fn witness(&self) -> DeviceWitness {
        DeviceWitness {
            recorded_at: self.recorded_at(),
            clock_offset_ms: self.clock_offset_ms,
        }
    }
}

/// A hybrid logical clock reading for `at`: 48 bits of milliseconds, 16 bits of counter.
pub fn hlc_at(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis().max(0) << 16
}

/// A mark after a write, and whether the write created it.
#[derive(Debug, Clone)]
pub struct MarkSet {
    pub mark: Mark,
    pub created: bool,
}

/// The trainer's countersignature of a half-day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signoff {
    pub slot_id: Uuid,
    pub session_id: Uuid,
    pub trainer_id: Uuid,
    pub signature_sha256: String,
    /// When the trainer signed: the server's time online, the device's clock offline.
    pub signed_at: DateTime<Utc>,
    /// When the server received the countersignature.
    pub received_at: DateTime<Utc>,
    /// The device's witness, for a countersignature a device recorded.
    pub device: Option<DeviceWitness>,
    pub reopening: Option<Reopening>,
}

impl Signoff {
    /// Whether the slot's marks are frozen (countersigned and not reopened).
    pub fn freezes(&self) -> bool {
        self.reopening.is_none()
    }
}

/// An administrator's reopening, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopening {
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub reason: String,
}

/// One entry of the attendance history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: Uuid,
    pub subject: String,
    pub subject_id: Uuid,
    pub action: String,
    pub by: Uuid,
    pub at: DateTime<Utc>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// A half-day as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSlot {
    pub id: Uuid,
    pub date: NaiveDate,
    pub period: Period,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub minutes: i32,
    pub signoff: Option<Signoff>,
}

/// One trainee's row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub enrolment_id: Uuid,
    pub person_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// The organisation the trainee enrolled for, if any.
    pub organisation_id: Option<Uuid>,
    /// One entry per half-day, in the sheet's slot order (`None`: nothing recorded).
    pub marks: Vec<Option<Mark>>,
    /// One entry per half-day: the minutes it counts (0 before a late enrolment's first).
    pub minutes: Vec<i32>,
    pub attended_minutes: i32,
    pub scheduled_minutes: i32,
}

/// A session's attendance sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub session_id: Uuid,
    pub training_id: Uuid,
    pub training_title: String,
    pub time_zone: String,
    pub closed: bool,
    pub slots: Vec<SheetSlot>,
    pub rows: Vec<SheetRow>,
}

/// Minutes of a half-day a mark counts: all of it when present, less the late minutes when
/// late, none otherwise.
pub fn minutes_attended(mark: Option<&Mark>, slot_minutes: i32) -> i32 {
    match mark {
        Some(m) if m.status == MarkStatus::Present => slot_minutes,
        Some(m) if m.status == MarkStatus::Late => {
            (slot_minutes - m.late_minutes.unwrap_or(0)).clamp(0, slot_minutes)
        }
        _ => 0,
    }
}

/// The outcome of `attended` minutes out of `scheduled`.
pub fn outcome(attended: i32, scheduled: i32) -> Outcome {
    if attended <= 0 {
        Outcome::Absent
    } else if attended >= scheduled {
        Outcome::Completed
    } else {
        Outcome::Partial
    }
}

/// A red flag of the checks, with what shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Stable code, e.g. `slot_not_countersigned`.
    pub code: &'static str,
    pub message: String,
    pub slot_ids: Vec<Uuid>,
    pub person_ids: Vec<Uuid>,
}

/// What closing a session decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub session_id: Uuid,
    pub closed_by: Uuid,
    pub closed_at: DateTime<Utc>,
    pub justification: Option<String>,
    pub flags: Vec<Flag>,
    pub reopening: Option<Reopening>,
}

/// One entry of the follow-up log of a trainee's absences (Qualiopi ind. 12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub person_id: Uuid,
    pub by: Uuid,
    pub at: DateTime<Utc>,
    pub note: String,
    /// Set when the trainee left the training: why, from the closed list…
    pub drop_out_cause: Option<DropOutCause>,
    /// …and its note.
    pub drop_out_reason: Option<String>,
}

/// A trainee absent from at least one half-day, for follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub person_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// The half-days marked absent (not excused), in time order.
    pub absent_slots: Vec<Uuid>,
    /// The half-days marked excused.
    pub excused_slots: Vec<Uuid>,
    pub follow_ups: Vec<FollowUp>,
}

impl Absence {
    /// The drop-out, if a follow-up recorded one (the latest).
    pub fn drop_out(&self) -> Option<&FollowUp> {
        self.follow_ups
            .iter()
            .rev()
            .find(|f| f.drop_out_cause.is_some())
    }
}

/// A half-day as it stood when its evidence was archived (it may since be gone or moved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedHalfDay {
    pub slot_id: Uuid,
    pub date: NaiveDate,
    pub period: Period,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where it went, when it was moved rather than removed.
    pub moved_to: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Who archived evidence, when and why (a reschedule of its half-day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archiving {
    pub by: Uuid,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A mark taken off the live sheet when its half-day was removed or moved: as it stood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedMark {
    pub mark_id: Uuid,
    pub person_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub half_day: ArchivedHalfDay,
    pub status: MarkStatus,
    pub late_minutes: Option<i32>,
    pub signature_sha256: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub recorded_by: Uuid,
    pub recorded_as: RecordedAs,
    pub archiving: Archiving,
}

/// A trainer's countersignature taken off the live sheet with its half-day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedCountersignature {
    pub trainer_id: Uuid,
    pub half_day: ArchivedHalfDay,
    pub signature_sha256: String,
    pub signed_at: DateTime<Utc>,
    pub archiving: Archiving,
}

/// What a session's reschedules took off its sheet, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Archive {
    pub marks: Vec<ArchivedMark>,
    pub countersignatures: Vec<ArchivedCountersignature>,
}
