//! `attendance.set@1` (a trainee's mark for a half-day, or its clearing) and
//! `attendance.countersign@1` (the trainer signs a half-day). Signatures travel as blobs
//! uploaded before (`PUT /sync/v1/blobs/{sha256}`), named here by their hash.

use chrono::{DateTime, Utc};
use sea_orm::ActiveEnum;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Applying, Context, Done, Failure, args, choice, refusal};
use crate::attendance::model::{Mark, MarkInput, Origin, Signoff, Timing, mark_id};
use crate::attendance::service::{self, OfflineMark, OfflineOutcome, SignatureSource};

use crate::db::write::WriteTx;
use crate::sync::model::{
    ConflictContext, ConflictRef, ConflictResolution, EntityRef, NewConflict, RejectCode, Status,
};
use crate::sync::store;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetArgs {
    slot_id: Uuid,
    person_id: Uuid,
    /// `present`, `late`, `absent`, `excused`; `null` clears the mark.
    status: Option<String>,
    #[serde(default)]
    late_minutes: Option<i32>,
    #[serde(default)]
    signature_sha256: Option<String>,
    #[serde(default)]
    signed_at: Option<DateTime<Utc>>,
    /// Why an administrator corrects the mark after its half-day.
    #[serde(default)]
    reason: Option<String>,
}

fn sha256_arg(value: Option<String>) -> Result<Option<String>, Failure> {
    match value {
        Some(sha) if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) => Err(
            Failure::reject(RejectCode::Validation, "signature_sha256: 64 hex digits"),
        ),
        other => Ok(other.map(|s| s.to_ascii_lowercase())),
    }
}

pub fn set<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        let a: SetArgs = args(raw)?;
        let sha256 = sha256_arg(a.signature_sha256)?;
        let prepared = match a.status {
            None if a.late_minutes.is_some()
                || sha256.is_some()
                || a.signed_at.is_some()
                || a.reason.is_some() =>
            {
                return Err(Failure::reject(
                    RejectCode::Validation,
                    "clearing a mark takes no other field",
                ));
            }
            None => None,
            Some(status) => {
                let input = MarkInput {
                    status: choice("status", &status)?,
                    late_minutes: a.late_minutes,
                    signature_png: None,
                    signed_at: a.signed_at,
                    device_id: Some(ctx.device_id),
                    reason: a.reason,
                };
                Some(service::prepare_stored_mark(input, sha256).map_err(refusal)?)
            }
        };
        let write = OfflineMark {
            slot_id: a.slot_id,
            person_id: a.person_id,
            prepared,
            base_version: ctx.base_version,
            prev_local_seq: ctx.prev_local_seq,
            origin: origin(ctx),
            timing: Timing::of(ctx.settings),
        };
        let id = mark_id(a.slot_id, a.person_id);
        match service::set_offline_mark(tx, ctx.principal, write)
            .await
            .map_err(refusal)?
        {
            OfflineOutcome::Applied(mark) => Ok(Done::applied(
                "attendance_mark",
                id,
                mark.as_ref().map(mark_state),
            )),
            OfflineOutcome::Conflict(c) => {
                let c = *c;
                let resolution = if c.incoming_won {
                    ConflictResolution::ClientWon
                } else {
                    ConflictResolution::ServerWon
                };
                let recorded = store::insert_conflict(
                    tx,
                    NewConflict {
                        context_kind: ConflictContext::Session,
                        context_id: c.session_id,
                        entity_type: "attendance_mark",
                        entity_id: c.mark_id,
                        rule: c.rule.as_str(),
                        resolution,
                        winner: c.winner,
                        loser: c.loser,
                        winner_by: c.winner_by,
                        loser_by: c.loser_by,
                        loser_device_id: c.loser_device,
                        loser_mutation_id: (!c.incoming_won).then_some(ctx.mutation_id),
                    },
                )
                .await?;
                Ok(Done {
                    status: Status::Conflict,
                    entity: Some(EntityRef {
                        entity_type: "attendance_mark".into(),
                        id,
                    }),
                    state: c.mark.as_ref().map(mark_state),
                    conflict: Some(ConflictRef {
                        id: recorded.id,
                        rule: recorded.rule,
                        resolution: recorded.resolution.to_value(),
                    }),
                })
            }
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountersignArgs {
    slot_id: Uuid,
    signature_sha256: String,
}

pub fn countersign<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        let a: CountersignArgs = args(raw)?;
        let sha256 = sha256_arg(Some(a.signature_sha256))?.unwrap_or_default();
        let signoff = service::countersign(
            tx,
            ctx.principal,
            a.slot_id,
            SignatureSource::Stored(sha256),
            Some(origin(ctx)),
        )
        .await
        .map_err(refusal)?;
        Ok(Done::applied(
            "slot_signoff",
            a.slot_id,
            Some(signoff_state(&signoff)),
        ))
    })
}

/// Where a device's write comes from, as attendance records it.
fn origin(ctx: &Context<'_>) -> Origin {
    Origin {
        device_id: ctx.device_id,
        seq: ctx.seq,
        hlc: ctx.hlc,
        clock_offset_ms: ctx.clock_offset_ms,
        received_at: ctx.received_at,
    }
}

/// A mark as a push answers it (the columns a pull sends).
fn mark_state(mark: &Mark) -> Value {
    json!({
        "id": mark.id,
        "activity_id": mark.slot_id,
        "context_id": mark.session_id,
        "person_id": mark.person_id,
        "status": mark.status.to_value(),
        "late_minutes": mark.late_minutes,
        "signature_sha256": mark.signature_sha256,
        "signed_at": mark.signed_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "recorded_by": mark.recorded_by,
        "recorded_as": mark.recorded_as.to_value(),
        "device_id": mark.device_id,
        "received_at": mark.received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    })
}

fn signoff_state(signoff: &Signoff) -> Value {
    json!({
        "slot_id": signoff.slot_id,
        "session_id": signoff.session_id,
        "trainer_id": signoff.trainer_id,
        "signature_sha256": signoff.signature_sha256,
        "signed_at": signoff.signed_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    })
}
