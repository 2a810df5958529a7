//! What a push takes and answers.

use poem_openapi::{Enum, Object};
use serde_json::Value;
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::patch::Patch;
use crate::http::text::Text;
use crate::sync::model::{self, RejectCode, Status, StopCode};

/// One mutation as the device queued it.
#[derive(Debug, Object)]
pub struct MutationBody {
    /// The device's sequence number: 1, 2, 3… with no gap, never reused.
    #[oai(validator(minimum(value = "1")))]
    pub seq: i64,
    /// A UUIDv7 made by the device: the mutation's idempotency key.
    pub id: Uuid,
    /// The mutation and its version: `attendance.set@1`, `attendance.countersign@1`,
    /// `enrolment.request@1`, `enrolment.cancel@1`, `meeting.rsvp@1`, `conflict.resolve@1`.
    /// An unknown name is `rejected` (`unknown_mutation`); the queue moves on.
    #[oai(validator(max_length = 64))]
    pub name: Text,
    /// The device's hybrid logical clock: milliseconds since 1970 shifted left 16 bits, plus a
    /// counter. More than five minutes ahead of the server, it is clamped.
    pub hlc: i64,
    /// The version of the entity the edit was based on (from the last pull); `null` when the
    /// device saw none.
    pub base_version: Nullable<i64>,
    /// This device's previous pending mutation of the same entity, if any.
    pub prev_local_seq: Nullable<i64>,
    /// The mutation's arguments (an object; see the protocol document): `attendance.set@1`
    /// `{slot_id, person_id, status (present|late|absent|excused|null to clear),
    /// late_minutes?, signature_sha256?, signed_at?}`; `attendance.countersign@1` `{slot_id,
    /// signature_sha256}`; `enrolment.request@1` `{session_id, trainee_type, funding_source,
    /// funding_amount_cents?, needs?}`; `enrolment.cancel@1` `{enrolment_id, reason}`;
    /// `meeting.rsvp@1` `{meeting_id, answer (yes|no|maybe)}`; `conflict.resolve@1`
    /// `{conflict_id, status (acknowledged|resolved)}`.
    pub args: Value,
}

/// A push.
#[derive(Debug, Object)]
pub struct PushBody {
    /// The sync protocol the app speaks (this server: 1).
    pub protocol: i32,
    /// The schema version of the app's tables.
    pub schema_version: i32,
    /// The device pushing.
    pub device_id: Uuid,
    /// The device's clock as it sends the push (milliseconds since 1970). Optional but
    /// recommended: the server then knows the device's clock offset, dates the signatures it
    /// recorded offline on its own clock, and the attendance checks can tell a consistent
    /// clock from back-dated signatures.
    pub device_time: Patch<i64>,
    /// Its queued mutations in `seq` order (at most 500), starting at the server's
    /// `last_seq + 1` (earlier ones are answered from their stored results).
    pub mutations: Vec<MutationBody>,
}

/// What became of a mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum StatusView {
    /// Applied as pushed.
    Applied,
    /// A concurrent change: the rule decided, `conflict` says how; the loser is kept.
    Conflict,
    /// Refused; `reason` says why. The device keeps its copy for its person to see.
    Rejected,
}

impl From<Status> for StatusView {
    fn from(s: Status) -> Self {
        match s {
            Status::Applied => Self::Applied,
            Status::Conflict => Self::Conflict,
            Status::Rejected => Self::Rejected,
        }
    }
}

/// Why a mutation was rejected, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum RejectCodeView {
    /// No mutation of this name and version.
    UnknownMutation,
    /// Arguments that do not fit, or a field breaking a rule.
    Validation,
    /// The person may not do this.
    Forbidden,
    /// The target does not exist (any more), or is not theirs to see.
    NotFound,
    /// The target's state refuses it (closed, countersigned, full, cancelled…).
    Refused,
    /// The signature image was not uploaded: upload it, then push again from this mutation
    /// (retryable; `last_seq` did not advance).
    BlobMissing,
}

impl From<RejectCode> for RejectCodeView {
    fn from(c: RejectCode) -> Self {
        match c {
            RejectCode::UnknownMutation => Self::UnknownMutation,
            RejectCode::Validation => Self::Validation,
            RejectCode::Forbidden => Self::Forbidden,
            RejectCode::NotFound => Self::NotFound,
            RejectCode::Refused => Self::Refused,
            RejectCode::BlobMissing => Self::BlobMissing,
        }
    }
}

/// Why a mutation was rejected.
///
/// - `code`: The kind.
#[derive(Debug, Object)]
pub struct ReasonView {
    pub code: RejectCodeView,
    /// The API's error code for the same refusal online (e.g. `attendance.slot_countersigned`).
    pub error: Nullable<String>,
    /// In English, for the person.
    pub message: String,
    /// Push it again later (only `blob_missing`).
    pub retryable: bool,
}

/// An entity a mutation was about.
#[derive(Debug, Object)]
pub struct EntityRefView {
    /// Its type, as in pulls.
    #[oai(rename = "type")]
    pub entity_type: String,
    /// Its id.
    pub id: Uuid,
}

/// The conflict a mutation ran into.
#[derive(Debug, Object)]
pub struct ConflictRefView {
    /// The conflict's id (it comes in pulls as a `sync_conflict` row).
    pub id: Uuid,
    /// The rule that decided: `set_beats_clear`, `signed_evidence`, `earliest_signature`,
    /// `authority`, `later_clock`, `device_id`.
    pub rule: String,
    /// `client_won` (the pushed value is stored) or `server_won` (it is kept as the loser).
    pub resolution: String,
}

/// The result of one mutation.
///
/// - `status`: What became of it.
/// - `entity`: The entity it was about.
/// - `conflict`: For `conflict`: how it was decided.
/// - `reason`: For `rejected`: why.
#[derive(Debug, Object)]
pub struct MutationResultView {
    /// The mutation's sequence number.
    pub seq: i64,
    /// The mutation's id.
    pub id: Uuid,
    pub status: StatusView,
    /// This is the stored result of a mutation processed before (a retry).
    pub replayed: bool,
    #[oai(skip_serializing_if_is_none)]
    pub entity: Option<EntityRefView>,
    /// The entity as the server holds it now (`null` when gone or not applicable).
    pub state: Value,
    #[oai(skip_serializing_if_is_none)]
    pub conflict: Option<ConflictRefView>,
    #[oai(skip_serializing_if_is_none)]
    pub reason: Option<ReasonView>,
    /// The device's clock was more than five minutes ahead and was clamped.
    pub clock_skew: bool,
}

impl From<model::MutationResult> for MutationResultView {
    fn from(r: model::MutationResult) -> Self {
        Self {
            seq: r.seq,
            id: r.id,
            status: r.status.into(),
            replayed: r.replayed,
            entity: r.entity.map(|e| EntityRefView {
                entity_type: e.entity_type,
                id: e.id,
            }),
            state: r.state.unwrap_or(Value::Null),
            conflict: r.conflict.map(|c| ConflictRefView {
                id: c.id,
                rule: c.rule,
                resolution: c.resolution,
            }),
            reason: r.reason.map(|r| ReasonView {
                code: r.code.into(),
                error: Nullable(r.error),
                message: r.message,
                retryable: r.retryable,
            }),
            clock_skew: r.clock_skew,
        }
    }
}

/// Why a push stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StopCodeView {
    /// A sequence number was skipped: push again from `expected_seq`.
    SeqGap,
    /// A sequence number already used by another mutation (an app bug).
    SeqReused,
    /// A signature image is missing: upload it, then push again from `at_seq`.
    BlobMissing,
}

/// Where and why a push stopped.
///
/// - `code`: Why.
#[derive(Debug, Object)]
pub struct StoppedView {
    /// The first mutation not processed.
    pub at_seq: i64,
    pub code: StopCodeView,
    /// The sequence number the server expects next.
    pub expected_seq: i64,
}

/// What a push did.
///
/// - `stopped`: Why the push stopped early, if it did.
#[derive(Debug, Object)]
pub struct PushView {
    /// The protocol of this answer.
    pub protocol: i32,
    /// The highest sequence number processed: drop acknowledged items up to it from the
    /// outbox (keep them a while in case the server is restored).
    pub last_seq: i64,
    /// One result per mutation processed, in order.
    pub results: Vec<MutationResultView>,
    #[oai(skip_serializing_if_is_none)]
    pub stopped: Option<StoppedView>,
    /// The server's clock (milliseconds since 1970): ratchet the device's HLC on it.
    pub server_time: i64,
}

impl StoppedView {
    pub fn of(s: model::Stopped) -> Self {
        Self {
            at_seq: s.at_seq,
            expected_seq: s.expected_seq,
            code: match s.code {
                StopCode::SeqGap => StopCodeView::SeqGap,
                StopCode::SeqReused => StopCodeView::SeqReused,
                StopCode::BlobMissing => StopCodeView::BlobMissing,
            },
        }
    }
}
