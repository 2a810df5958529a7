//! The push: a device's queued mutations, applied in one write transaction.
//!
//! The device row is locked first (one push at a time per device). Each mutation then runs in
//! its own savepoint, in `seq` order: a refusal rolls back to the savepoint and is stored as
//! `rejected`, so a poison mutation never blocks the queue; the mutation's outcome and the
//! device's `last_seq` commit with its effects, and the space version is allocated once, last
//! (`WriteTx::commit`). A retried mutation (`seq` at or below `last_seq`, or a mutation id
//! already stored) answers its stored result, marked `replayed`. A sequence gap stops the push
//! (`SEQ_GAP`), as does a signature image not uploaded yet (`BLOB_MISSING`, retryable, `last_seq`
//! not advanced). A database failure rolls the whole batch back and answers 503 with the
//! device's committed `last_seq`: nothing after it was applied.
//!
//! A revoked device's mutations are stored as `quarantined` (never applied, never lost) and the
//! push answers 403.

use serde_json::Value;

use super::devices::own_live_device;
use super::{Result, SyncError};
use crate::config::Settings;
use crate::db::write::{WriteTx, Writer};
use crate::principal::Principal;
use crate::sync::model::{
    MAX_BATCH, MAX_CLOCK_LEAD_MS, MutationResult, PushOutcome, Pushed, Reason, RejectCode, Status,
    StopCode, Stopped,
};
use crate::sync::mutations::{self, Abort, Context, Failure};
use crate::sync::store::{self, NewMutation, Seen};

/// What a device pushes.
#[derive(Debug, Clone)]
pub struct PushRequest {
    pub device_id: uuid::Uuid,
    pub mutations: Vec<Pushed>,
}

/// Applies a device's batch (see the module).
pub async fn push(
    writer: &Writer,
    settings: &Settings,
    principal: &Principal,
    request: PushRequest,
) -> Result<PushOutcome> {
    if request.mutations.len() > MAX_BATCH {
        return Err(SyncError::invalid(
            "mutations",
            format!("at most {MAX_BATCH} per push; send the rest in the next one"),
        ));
    }
    // The device's committed position, read before anything can fail: what a 503 answers.
    let known = store::device(&writer.db, request.device_id).await?;
    let committed_seq = own_live_device(principal, known.clone())
        .map(|d| d.last_seq)
        .or_else(|e| match e {
            SyncError::DeviceRevoked { last_seq } => Ok(last_seq),
            other => Err(other),
        })?;
    let unavailable = |error: sea_orm::DbErr| {
        tracing::warn!(%error, device = %request.device_id, "push rolled back");
        SyncError::Unavailable {
            last_seq: committed_seq,
        }
    };
    let mut tx = writer.begin().await.map_err(unavailable)?;
    set_lock_timeout(&tx, settings.sync_lock_timeout_ms)
        .await
        .map_err(unavailable)?;
    let locked = store::lock_device(tx.conn(), request.device_id)
        .await
        .map_err(unavailable)?;
    let device = match own_live_device(principal, locked) {
        Err(SyncError::DeviceRevoked { last_seq }) => {
            quarantine(tx, request, last_seq).await?;
            return Err(SyncError::DeviceRevoked { last_seq });
        }
        other => other?,
    };
    let committed_seq = device.last_seq;
    let unavailable = |error: Abort| {
        tracing::warn!(%error, device = %device.id, "push rolled back");
        SyncError::Unavailable {
            last_seq: committed_seq,
        }
    };
    match apply_batch(&mut tx, settings, principal, &device, request).await {
        Ok((outcome, seen)) => {
            store::record_push(tx.conn(), device.id, seen)
                .await
                .map_err(|e| unavailable(e.into()))?;
            tx.commit().await.map_err(|e| unavailable(e.into()))?;
            Ok(outcome)
        }
        Err(abort) => Err(unavailable(abort)),
    }
}

/// On PostgreSQL, a row lock held elsewhere fails the push after `ms` instead of waiting on.
async fn set_lock_timeout(tx: &WriteTx, ms: u64) -> std::result::Result<(), sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    if tx.conn().get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let sql = format!("SET LOCAL lock_timeout = {ms}");
    tx.conn()
        .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    Ok(())
}

async fn apply_batch(
    tx: &mut WriteTx,
    settings: &Settings,
    principal: &Principal,
    device: &crate::sync::model::Device,
    request: PushRequest,
) -> std::result::Result<(PushOutcome, Seen), Abort> {
    let now = tx.now();
    let now_ms = now.timestamp_millis();
    let mut last_seq = device.last_seq;
    let mut results = Vec::with_capacity(request.mutations.len());
    let mut stopped = None;
    let mut clock_offset_ms = None;
    let mut skewed = false;
    for m in request.mutations {
        if m.seq <= last_seq {
            match stored_result(tx, device, &m).await? {
                Some(result) => {
                    results.push(result);
                    continue;
                }
                None => {
                    stopped = Some(stop(m.seq, StopCode::SeqReused, last_seq));
                    break;
                }
            }
        }
        if m.seq != last_seq + 1 {
            stopped = Some(stop(m.seq, StopCode::SeqGap, last_seq));
            break;
        }
        if let Some(earlier) = earlier_by_id(tx, device, &m).await? {
            // Pushed before under another sequence number (a device re-pushing after the
            // server was restored, or from a new install): the same outcome, nothing applied
            // twice.
            results.push(earlier);
            last_seq = m.seq;
            continue;
        }
        let physical = m.hlc >> 16;
        clock_offset_ms = Some(physical - now_ms);
        let clamped = physical > now_ms + MAX_CLOCK_LEAD_MS;
        skewed |= clamped;
        let ctx = Context {
            principal,
            settings,
            device_id: device.id,
            seq: m.seq,
            mutation_id: m.id,
            hlc: if clamped { now_ms << 16 } else { m.hlc },
            base_version: m.base_version,
            prev_local_seq: m.prev_local_seq,
        };
        let result = apply_one(tx, &ctx, &m.name, m.args.clone(), clamped).await?;
        if result.reason.as_ref().is_some_and(|r| r.retryable) {
            // A signature not uploaded yet: not stored, `last_seq` stays, the push stops.
            results.push(result);
            stopped = Some(stop(m.seq, StopCode::BlobMissing, last_seq));
            break;
        }
        let stored = serde_json::to_value(&result).unwrap_or(Value::Null);
        store::insert_mutation(
            tx.conn(),
            NewMutation {
                device_id: device.id,
                seq: m.seq,
                mutation_id: m.id,
                name: &m.name,
                args: &m.args,
                status: result.status.as_str(),
                result: &stored,
                hlc: Some(m.hlc),
                at: now,
            },
        )
        .await?;
        results.push(result);
        last_seq = m.seq;
    }
    let seen = Seen {
        last_seq,
        at: now,
        clock_offset_ms,
        skewed,
    };
    Ok((
        PushOutcome {
            last_seq,
            results,
            stopped,
        },
        seen,
    ))
}

fn stop(at_seq: i64, code: StopCode, last_seq: i64) -> Stopped {
    Stopped {
        at_seq,
        code,
        expected_seq: last_seq + 1,
    }
}

/// Applies one mutation in its own savepoint: kept when it goes through, undone when refused
/// (the refusal is then its result). Only a database failure is an error.
pub(super) async fn apply_one(
    tx: &mut WriteTx,
    ctx: &Context<'_>,
    name: &str,
    args: Value,
    clock_skew: bool,
) -> std::result::Result<MutationResult, Abort> {
    let savepoint = tx.savepoint().await?;
    let mut result = MutationResult {
        seq: ctx.seq,
        id: ctx.mutation_id,
        status: Status::Rejected,
        replayed: false,
        entity: None,
        state: None,
        conflict: None,
        reason: None,
        clock_skew,
    };
    match mutations::apply(tx, ctx, name, args).await {
        Ok(done) => {
            tx.release(savepoint).await?;
            result.status = done.status;
            result.entity = done.entity;
            result.state = done.state;
            result.conflict = done.conflict;
        }
        Err(Failure::Rejected(reason)) => {
            tx.rollback_to(savepoint).await?;
            result.reason = Some(reason);
        }
        Err(Failure::Transient(abort)) => return Err(abort),
    }
    Ok(result)
}

/// The stored result of a mutation already processed, if it is this one.
async fn stored_result(
    tx: &WriteTx,
    device: &crate::sync::model::Device,
    m: &Pushed,
) -> std::result::Result<Option<MutationResult>, sea_orm::DbErr> {
    if let Some(row) = store::mutation_at(tx.conn(), device.id, m.seq).await? {
        return Ok((row.mutation_id == m.id).then(|| replay(&row, m.seq)));
    }
    earlier_by_id(tx, device, m).await
}

/// A mutation id already stored: its result again when it is this person's (from any of their
/// devices); a refusal when another person's device used the id (it is not theirs to replay).
async fn earlier_by_id(
    tx: &WriteTx,
    device: &crate::sync::model::Device,
    m: &Pushed,
) -> std::result::Result<Option<MutationResult>, sea_orm::DbErr> {
    let Some(row) = store::mutation_by_id(tx.conn(), m.id).await? else {
        return Ok(None);
    };
    let author = store::device(tx.conn(), row.device_id).await?;
    if author.is_some_and(|a| a.person_id == device.person_id) {
        return Ok(Some(replay(&row, m.seq)));
    }
    let mut refused = replay(&row, m.seq);
    refused.status = Status::Rejected;
    refused.entity = None;
    refused.state = None;
    refused.conflict = None;
    refused.reason = Some(Reason {
        code: RejectCode::Validation,
        error: None,
        message: "this mutation id was used by another device: make a new UUIDv7".into(),
        retryable: false,
    });
    Ok(Some(refused))
}

/// A stored mutation answered again, as a replay. One kept from a revoked device answers what
/// became of it: waiting for an administrator, or discarded.
fn replay(row: &store::MutationRow, seq: i64) -> MutationResult {
    let refused = |message: String| MutationResult {
        seq,
        id: row.mutation_id,
        status: Status::Rejected,
        replayed: true,
        entity: None,
        state: None,
        conflict: None,
        reason: Some(Reason {
            code: RejectCode::Forbidden,
            error: Some("sync.device_revoked".into()),
            message,
            retryable: false,
        }),
        clock_skew: false,
    };
    let mut result = match row.status.as_str() {
        "quarantined" => refused(
            "pushed by a revoked device: kept for an administrator, who will accept or discard it"
                .into(),
        ),
        "discarded" => refused(format!(
            "pushed by a revoked device and discarded by an administrator: {}",
            row.decision_reason.as_deref().unwrap_or("no reason given")
        )),
        _ => serde_json::from_str(&row.result)
            .unwrap_or_else(|_| refused("the stored result could not be read".into())),
    };
    result.id = row.mutation_id;
    result.seq = seq;
    result.replayed = true;
    result
}

/// Keeps what a revoked device pushed, unapplied, for an administrator to review.
async fn quarantine(tx: WriteTx, request: PushRequest, last_seq: i64) -> Result<()> {
    let now = tx.now();
    for m in request.mutations.iter().filter(|m| m.seq > last_seq) {
        store::insert_mutation_once(
            tx.conn(),
            NewMutation {
                device_id: request.device_id,
                seq: m.seq,
                mutation_id: m.id,
                name: &m.name,
                args: &m.args,
                status: "quarantined",
                result: &Value::Null,
                hlc: Some(m.hlc),
                at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
