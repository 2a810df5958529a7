//! Closing a session as the API shows it: the checks' red flags and the closure.

use poem_openapi::Object;
use uuid::Uuid;

use crate::attendance::model::{Closure, Flag};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

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
