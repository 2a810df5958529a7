//! The sync domain: devices, what a pull answers, what a push answers, conflicts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

pub use entity::status::{ConflictContext, ConflictResolution, ConflictStatus, MutationStatus};

/// The protocol versions this server speaks.
pub const MIN_PROTOCOL: i32 = 1;
pub const PROTOCOL: i32 = 1;
/// The schema version of the rows devices receive (raised when synced columns change).
pub const SCHEMA_VERSION: i32 = 1;
/// Pull pages: this many changes unless the device asks for fewer or more…
pub const DEFAULT_PAGE: u32 = 500;
/// …and never more than this.
pub const MAX_PAGE: u32 = 2000;
/// At most this many mutations in one push.
pub const MAX_BATCH: usize = 500;
/// A device clock this far ahead of the server's is clamped.
pub const MAX_CLOCK_LEAD_MS: i64 = 5 * 60 * 1000;

/// A registered device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub platform: String,
    pub last_seq: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub clock_offset_ms: Option<i64>,
    pub clock_skew_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
    pub revoked_reason: Option<String>,
}

/// What registering a device says.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub name: String,
    pub platform: String,
}

/// Why a pull answers `reset` instead of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetReason {
    /// The cursor was not made by this server (or was altered).
    CursorInvalid,
    /// The server was restored or reset: its epoch changed.
    EpochChanged,
    /// The cursor is ahead of the server (restored from an older backup).
    ServerRewound,
    /// The tombstones the device needs were collected (offline longer than the retention).
    CursorTooOld,
    /// The device's schema version changed since the cursor was made.
    SchemaChanged,
}

impl ResetReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CursorInvalid => "cursor_invalid",
            Self::EpochChanged => "epoch_changed",
            Self::ServerRewound => "server_rewound",
            Self::CursorTooOld => "cursor_too_old",
            Self::SchemaChanged => "schema_changed",
        }
    }
}

/// One change a pull answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity_type: String,
    pub id: Uuid,
    pub version: i64,
    /// The row's columns; `None` for a delete.
    pub data: Option<serde_json::Map<String, Value>>,
}

/// The checksum of what a device holds once up to date: how many rows, and the sum (mod 2⁶⁴)
/// of the first 8 bytes (little-endian) of SHA-256(`type:id:version`) of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum {
    pub count: u64,
    pub sum: u64,
}

impl Checksum {
    /// The checksum of these rows.
    pub fn of<'a>(rows: impl IntoIterator<Item = (&'a str, Uuid, i64)>) -> Self {
        use sha2::{Digest, Sha256};
        let mut checksum = Checksum { count: 0, sum: 0 };
        for (entity_type, id, version) in rows {
            let digest = Sha256::digest(format!("{entity_type}:{id}:{version}").as_bytes());
            let mut first = [0u8; 8];
            first.copy_from_slice(&digest[..8]);
            checksum.count += 1;
            checksum.sum = checksum.sum.wrapping_add(u64::from_le_bytes(first));
        }
        checksum
    }
}

/// One page of a pull.
#[derive(Debug, Clone)]
pub struct Pulled {
    pub changes: Vec<Change>,
    pub scopes: Vec<String>,
    pub scope_removed: Vec<String>,
    pub cursor: Option<String>,
    pub has_more: bool,
    pub reset: Option<ResetReason>,
    pub checksum: Option<Checksum>,
    pub last_seq: i64,
}

/// A mutation as a device pushes it.
#[derive(Debug, Clone)]
pub struct Pushed {
    pub seq: i64,
    pub id: Uuid,
    pub name: String,
    pub hlc: i64,
    pub base_version: Option<i64>,
    pub prev_local_seq: Option<i64>,
    pub args: Value,
}

/// What became of one mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Applied,
    Conflict,
    Rejected,
}

impl From<Status> for MutationStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Applied => Self::Applied,
            Status::Conflict => Self::Conflict,
            Status::Rejected => Self::Rejected,
        }
    }
}

/// Why a mutation was rejected, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// No handler has this name (or version).
    UnknownMutation,
    /// The arguments do not fit the mutation, or a field breaks a rule.
    Validation,
    /// The person may not do this.
    Forbidden,
    /// The target does not exist (any more), or the person may not see it.
    NotFound,
    /// The target's state refuses it now (closed, countersigned, full, cancelled…).
    Refused,
    /// The signature image was not uploaded yet: upload it and push again (retryable; the
    /// device's `last_seq` did not advance).
    BlobMissing,
}

/// A rejection: its kind, the service's own error code, and whether to retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: RejectCode,
    /// The API's error code for the same refusal online, e.g. `attendance.slot_countersigned`.
    pub error: Option<String>,
    pub message: String,
    pub retryable: bool,
}

/// The entity a mutation was about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub id: Uuid,
}

/// The conflict a mutation ran into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRef {
    pub id: Uuid,
    pub rule: String,
    /// `client_won` (the pushed value is stored) or `server_won`.
    pub resolution: String,
}

/// The result of one mutation, as answered and stored (a retry answers it verbatim, with
/// `replayed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub seq: i64,
    pub id: Uuid,
    pub status: Status,
    #[serde(default)]
    pub replayed: bool,
    pub entity: Option<EntityRef>,
    /// The entity as the server holds it after the mutation (`null` when gone).
    pub state: Option<Value>,
    pub conflict: Option<ConflictRef>,
    pub reason: Option<Reason>,
    /// The device's clock was more than five minutes ahead: it was clamped.
    #[serde(default)]
    pub clock_skew: bool,
}

/// Why a push stopped before its last mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCode {
    /// A sequence number was skipped: resend from `expected_seq`.
    SeqGap,
    /// A sequence number already used by another mutation (a client bug).
    SeqReused,
    /// A signature image is missing: upload it, then resend from `at_seq`.
    BlobMissing,
}

/// Where and why a push stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    pub at_seq: i64,
    pub code: StopCode,
    pub expected_seq: i64,
}

/// What a push answers.
#[derive(Debug, Clone)]
pub struct PushOutcome {
    pub last_seq: i64,
    pub results: Vec<MutationResult>,
    pub stopped: Option<Stopped>,
}

/// A conflict to record.
#[derive(Debug, Clone)]
pub struct NewConflict {
    pub context_kind: ConflictContext,
    pub context_id: Uuid,
    pub entity_type: &'static str,
    pub entity_id: Uuid,
    pub rule: &'static str,
    pub resolution: ConflictResolution,
    pub winner: Value,
    pub loser: Value,
    pub winner_by: Uuid,
    pub loser_by: Uuid,
    pub loser_device_id: Option<Uuid>,
    pub loser_mutation_id: Option<Uuid>,
}

/// A recorded conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: Uuid,
    pub context_kind: ConflictContext,
    pub context_id: Uuid,
    pub entity_type: String,
    pub entity_id: Uuid,
    pub rule: String,
    pub resolution: ConflictResolution,
    pub winner: Value,
    pub loser: Value,
    pub winner_by: Uuid,
    pub loser_by: Uuid,
    pub loser_device_id: Option<Uuid>,
    pub loser_mutation_id: Option<Uuid>,
    pub status: ConflictStatus,
    pub created_at: DateTime<Utc>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A mutation a revoked device pushed, waiting for an administrator (or decided).
#[derive(Debug, Clone, PartialEq)]
pub struct Quarantined {
    pub device_id: Uuid,
    pub person_id: Uuid,
    pub seq: i64,
    pub mutation_id: Uuid,
    pub name: String,
    pub args: Value,
    pub hlc: Option<i64>,
    pub base_version: Option<i64>,
    pub prev_local_seq: Option<i64>,
    pub received_at: DateTime<Utc>,
    /// `quarantined`, `accepted` or `discarded`.
    pub status: MutationStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub decision_reason: Option<String>,
    /// What applying it did, once accepted.
    pub result: Option<MutationResult>,
}
