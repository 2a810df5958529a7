//! What administrators review: conflicts, the quarantine, tombstone GC.

use poem_openapi::Object;
use sea_orm::ActiveEnum;
use serde_json::Value;
use uuid::Uuid;

use super::MutationResultView;
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;
use crate::sync::model;

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
            context_kind: c.context_kind.to_value(),
            context_id: c.context_id,
            entity_type: c.entity_type,
            entity_id: c.entity_id,
            rule: c.rule,
            resolution: c.resolution.to_value(),
            winner: c.winner,
            loser: c.loser,
            winner_by: c.winner_by,
            loser_by: c.loser_by,
            loser_device_id: Nullable(c.loser_device_id),
            loser_mutation_id: Nullable(c.loser_mutation_id),
            status: c.status.to_value(),
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
    /// The version of the row the device had seen when it made the change (accepting it
    /// applies it against that, as a push would have).
    pub base_version: Nullable<i64>,
    /// The device's previous change of the same row.
    pub prev_local_seq: Nullable<i64>,
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
            base_version: Nullable(q.base_version),
            prev_local_seq: Nullable(q.prev_local_seq),
            received_at: Timestamp(q.received_at),
            status: q.status.to_value(),
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
