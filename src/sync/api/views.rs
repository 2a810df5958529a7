//! What sync's endpoints answer and take.

use poem_openapi::{Enum, Object};
use serde_json::Value;
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::sync::model::{self, Device, RejectCode, ResetReason, Status, StopCode};

/// A registered device.
#[derive(Debug, Object)]
pub struct DeviceView {
    /// The device's id: send it with every pull and push.
    pub id: Uuid,
    /// Whose device it is.
    pub person_id: Uuid,
    /// What its person calls it.
    pub name: String,
    /// `android`, `ios`, `web`…, as the app said.
    pub platform: String,
    /// The highest mutation sequence number the server processed for it (0: none yet).
    pub last_seq: i64,
    /// When it was registered.
    pub created_at: Timestamp,
    /// Its last push.
    pub last_seen_at: Nullable<Timestamp>,
    /// Its clock minus the server's, as last observed, in milliseconds.
    pub clock_offset_ms: Nullable<i64>,
    /// When its clock was last found more than five minutes ahead (then clamped).
    pub clock_skew_at: Nullable<Timestamp>,
    /// When it was revoked (its pulls and pushes then answer 403).
    pub revoked_at: Nullable<Timestamp>,
    /// Who revoked it.
    pub revoked_by: Nullable<Uuid>,
    /// Why.
    pub revoked_reason: Nullable<String>,
}

impl From<Device> for DeviceView {
    fn from(d: Device) -> Self {
        Self {
            id: d.id,
            person_id: d.person_id,
            name: d.name,
            platform: d.platform,
            last_seq: d.last_seq,
            created_at: Timestamp(d.created_at),
            last_seen_at: Nullable(d.last_seen_at.map(Timestamp)),
            clock_offset_ms: Nullable(d.clock_offset_ms),
            clock_skew_at: Nullable(d.clock_skew_at.map(Timestamp)),
            revoked_at: Nullable(d.revoked_at.map(Timestamp)),
            revoked_by: Nullable(d.revoked_by),
            revoked_reason: Nullable(d.revoked_reason),
        }
    }
}

/// Registering a device.
#[derive(Debug, Object)]
pub struct NewDeviceBody {
    /// What its person calls it (1–100 characters).
    #[oai(validator(min_length = 1, max_length = 100))]
    pub name: Text,
    /// `android`, `ios`, `web`… (1–40 characters).
    #[oai(validator(min_length = 1, max_length = 40))]
    pub platform: Text,
}

/// Why something is done (revoking a device, deciding a quarantined mutation).
#[derive(Debug, Object)]
pub struct ReasonBody {
    /// Kept with the decision (1–2000 characters).
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub reason: Text,
}

/// A pull.
#[derive(Debug, Object)]
pub struct PullBody {
    /// The sync protocol the app speaks (this server: 1).
    pub protocol: i32,
    /// The schema version of the app's tables (this server: 1). A cursor made for another one
    /// is answered `reset`.
    pub schema_version: i32,
    /// The device pulling (registered by its person).
    pub device_id: Uuid,
    /// The cursor of the previous page, as received; `null` for a first (or replacement) sync.
    pub cursor: Nullable<Text>,
    /// At most this many changes (1–2000, default 500).
    #[oai(validator(minimum(value = "1"), maximum(value = "2000")))]
    pub limit: Option<u32>,
    /// Answer the checksum on the last page even if nothing changed (an integrity check; it
    /// reads every row the device holds). Default false.
    pub verify: Option<bool>,
}

/// Upsert or delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum OpView {
    /// Store `data` as the row (insert or replace).
    Upsert,
    /// Delete the row (it was deleted, or left every scope the device sees).
    Delete,
}

/// One change.
///
/// - `op`: What to do with it.
#[derive(Debug, Object)]
pub struct ChangeView {
    /// The entity type (the table): `training`, `session`, `slot`, `room`, `enrolment`,
    /// `attendance_mark`, `slot_signoff`, `person`, `club`, `club_membership`, `meeting`,
    /// `meeting_rsvp`, `sync_conflict`.
    #[oai(rename = "type")]
    pub entity_type: String,
    /// The row's id.
    pub id: Uuid,
    pub op: OpView,
    /// The row's version (the space version of its last write).
    pub version: i64,
    /// The row's columns for an upsert (by column name; times in RFC 3339 UTC); `null` for a
    /// delete.
    pub data: Value,
}

/// Why a pull answers `reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ResetReasonView {
    /// The cursor was not made by this server, or was altered.
    CursorInvalid,
    /// The server was restored or reset (its epoch changed).
    EpochChanged,
    /// The cursor is ahead of the server (restored from an older backup).
    ServerRewound,
    /// Offline longer than the tombstone retention.
    CursorTooOld,
    /// The app's schema version changed.
    SchemaChanged,
}

impl From<ResetReason> for ResetReasonView {
    fn from(r: ResetReason) -> Self {
        match r {
            ResetReason::CursorInvalid => Self::CursorInvalid,
            ResetReason::EpochChanged => Self::EpochChanged,
            ResetReason::ServerRewound => Self::ServerRewound,
            ResetReason::CursorTooOld => Self::CursorTooOld,
            ResetReason::SchemaChanged => Self::SchemaChanged,
        }
    }
}

/// The checksum of what the device holds once a run is complete.
#[derive(Debug, Object)]
pub struct ChecksumView {
    /// How many rows the device's synced base holds.
    pub count: u64,
    /// Sum (mod 2⁶⁴, as 16 lower-case hex digits) of the first 8 bytes, read little-endian, of
    /// SHA-256(`<type>:<id>:<version>`) of every row. A mismatch: pull again with a `null`
    /// cursor (replacement sync).
    pub sum: String,
}

/// One page of a pull.
///
/// - `reset`: Set when the device must resynchronise in full: push its pending mutations, then pull with a `null` cursor and, once `has_more` is false, delete the synced rows it did not receive (never its pending ones). No changes come with it.
/// - `checksum`: On the last page of a run that brought changes (or when `verify` asked): the checksum of the device's synced base.
#[derive(Debug, Object)]
pub struct PullView {
    /// The protocol of this answer.
    pub protocol: i32,
    #[oai(skip_serializing_if_is_none)]
    pub reset: Option<ResetReasonView>,
    /// The changes, in order; apply them and store `cursor` in one local transaction.
    pub changes: Vec<ChangeView>,
    /// The scopes this device sees now (`catalogue`, `person:<id>`, `session:<id>`,
    /// `club:<id>`, `club_members:<id>`).
    pub scopes: Vec<String>,
    /// Scopes the device no longer sees: their rows come as deletes in this run.
    pub scope_removed: Vec<String>,
    /// The cursor to send with the next pull (`null` with `reset`).
    pub cursor: Nullable<String>,
    /// More changes are waiting: pull again at once with `cursor`.
    pub has_more: bool,
    #[oai(skip_serializing_if_is_none)]
    pub checksum: Option<ChecksumView>,
    /// The highest mutation sequence number the server processed for this device.
    pub last_seq: i64,
    /// The server's clock (milliseconds since 1970): ratchet the device's HLC on it.
    pub server_time: i64,
}

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

/// A blob upload's outcome.
#[derive(Debug, Object)]
pub struct BlobView {
    /// The image's SHA-256 (lower-case hex).
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// A conflict the server decided.
#[derive(Debug, Object)]
pub struct ConflictView {
    /// Its id.
    pub id: Uuid,
    /// `session` or `club`.
    pub context_kind: String,
    /// The session or club.
    pub context_id: Uuid,
    /// The entity type (`attendance_mark`).
    pub entity_type: String,
    /// The entity.
    pub entity_id: Uuid,
    /// The rule that decided.
    pub rule: String,
    /// `client_won` or `server_won`.
    pub resolution: String,
    /// The value kept.
    pub winner: Value,
    /// The value that lost, kept here.
    pub loser: Value,
    /// Who wrote the winning value.
    pub winner_by: Uuid,
    /// Who wrote the losing value.
    pub loser_by: Uuid,
    /// The device of the losing value (`null`: an online write).
    pub loser_device_id: Nullable<Uuid>,
    /// The losing mutation, when it was the pushed one.
    pub loser_mutation_id: Nullable<Uuid>,
    /// `open`, `acknowledged` or `resolved`.
    pub status: String,
    /// When it was decided.
    pub created_at: Timestamp,
    /// Who acknowledged or resolved it.
    pub resolved_by: Nullable<Uuid>,
    /// When.
    pub resolved_at: Nullable<Timestamp>,
}

impl From<model::Conflict> for ConflictView {
    fn from(c: model::Conflict) -> Self {
        Self {
            id: c.id,
            context_kind: c.context_kind,
            context_id: c.context_id,
            entity_type: c.entity_type,
            entity_id: c.entity_id,
            rule: c.rule,
            resolution: c.resolution,
            winner: c.winner,
            loser: c.loser,
            winner_by: c.winner_by,
            loser_by: c.loser_by,
            loser_device_id: Nullable(c.loser_device_id),
            loser_mutation_id: Nullable(c.loser_mutation_id),
            status: c.status,
            created_at: Timestamp(c.created_at),
            resolved_by: Nullable(c.resolved_by),
            resolved_at: Nullable(c.resolved_at.map(Timestamp)),
        }
    }
}

/// A mutation a revoked device pushed.
///
/// - `result`: What applying it did, once accepted.
#[derive(Debug, Object)]
pub struct QuarantinedView {
    /// The device.
    pub device_id: Uuid,
    /// The device's person.
    pub person_id: Uuid,
    /// Its sequence number.
    pub seq: i64,
    /// Its id.
    pub mutation_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its arguments, as pushed.
    pub args: Value,
    /// The device's clock when it was made (its time says whether it predates the
    /// revocation).
    pub hlc: Nullable<i64>,
    /// When the server received it.
    pub received_at: Timestamp,
    /// `quarantined`, `accepted` (applied then) or `discarded`.
    pub status: String,
    /// When an administrator decided.
    pub decided_at: Nullable<Timestamp>,
    /// Who.
    pub decided_by: Nullable<Uuid>,
    /// Why.
    pub decision_reason: Nullable<String>,
    #[oai(skip_serializing_if_is_none)]
    pub result: Option<MutationResultView>,
}

impl From<model::Quarantined> for QuarantinedView {
    fn from(q: model::Quarantined) -> Self {
        Self {
            device_id: q.device_id,
            person_id: q.person_id,
            seq: q.seq,
            mutation_id: q.mutation_id,
            name: q.name,
            args: q.args,
            hlc: Nullable(q.hlc),
            received_at: Timestamp(q.received_at),
            status: q.status,
            decided_at: Nullable(q.decided_at.map(Timestamp)),
            decided_by: Nullable(q.decided_by),
            decision_reason: Nullable(q.decision_reason),
            result: q.result.map(Into::into),
        }
    }
}

/// What a GC run did.
#[derive(Debug, Object)]
pub struct GcView {
    /// Cursors below this version are answered `reset`.
    pub gc_version: i64,
    /// Tombstones purged by this run.
    pub purged: u64,
    /// The space version when it ran.
    pub version: i64,
}
