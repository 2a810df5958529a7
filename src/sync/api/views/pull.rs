//! What a pull takes and answers.

use poem_openapi::{Enum, Object};
use serde_json::Value;
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::text::Text;
use crate::sync::model::ResetReason;

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
