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
//! The handler begins and commits the transaction ([`plan_push`] before it, then [`push`] in
//! it, then [`Pushing::answer`]); a failure at `BEGIN` or at commit answers the same 503.
//!
//! A revoked device's mutations are stored as `quarantined` (never applied, never lost) and the
//! push answers 403.

use serde_json::Value;

use super::devices::own_live_device;
use super::quarantine::quarantine;
use super::replays::{earlier_by_id, stored_result};
use super::{Result, SyncError};
use crate::config::Settings;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::sync::model::{
    MAX_BATCH, MAX_CLOCK_LEAD_MS, MutationResult, PushOutcome, Pushed, Status, StopCode, Stopped,
};
use crate::sync::mutations::{self, Abort, Context, Failure};
use crate::sync::store::{self, NewMutation, Seen};

/// What a device pushes.
#[derive(Debug, Clone)]
pub struct PushRequest {
    pub device_id: uuid::Uuid,
    /// The device's clock when it sent the push (milliseconds since 1970), if it said.
    pub device_time: Option<i64>,
    pub mutations: Vec<Pushed>,
}

/// A push about to run: its batch checked, and the device's committed position, read before
/// anything can fail (what a 503 answers).
#[derive(Debug)]
pub struct PushPlan {
    request: PushRequest,
    committed_seq: i64,
}

impl PushPlan {
    /// A database failure before the push ran (at its `BEGIN`): 503 with the committed
    /// `last_seq`.
    pub fn unavailable(&self, error: sea_orm::DbErr) -> SyncError {
        unavailable(self.request.device_id, self.committed_seq, &error)
    }
}

/// What a push did in the caller's transaction; commit it, then answer [`Pushing::answer`].
#[derive(Debug)]
pub enum Pushing {
    /// The batch went through (mutation by mutation).
    Applied {
        device_id: uuid::Uuid,
        committed_seq: i64,
        outcome: PushOutcome,
    },
    /// The device is revoked: its mutations were kept unapplied; the push answers 403.
    Quarantined { last_seq: i64 },
}

impl Pushing {
    /// A failed commit: for a batch, 503 with the `last_seq` committed before it.
    pub fn commit_failed(&self, error: sea_orm::DbErr) -> SyncError {
        match self {
            Self::Applied {
                device_id,
                committed_seq,
                ..
            } => unavailable(*device_id, *committed_seq, &error),
            Self::Quarantined { .. } => SyncError::Db(error),
        }
    }

    /// What the push answers once committed.
    pub fn answer(self) -> Result<PushOutcome> {
        match self {
            Self::Applied { outcome, .. } => Ok(outcome),
            Self::Quarantined { last_seq } => Err(SyncError::DeviceRevoked { last_seq }),
        }
    }
}

fn unavailable(device: uuid::Uuid, last_seq: i64, error: &dyn std::fmt::Display) -> SyncError {
    tracing::warn!(%error, %device, "push rolled back");
    SyncError::Unavailable { last_seq }
}

/// Checks a batch and reads its device's committed position, before the push's transaction.
pub async fn plan_push(
    db: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    request: PushRequest,
) -> Result<PushPlan> {
    if request.mutations.len() > MAX_BATCH {
        return Err(SyncError::invalid(
            "mutations",
            format!("at most {MAX_BATCH} per push; send the rest in the next one"),
        ));
    }
    let known = store::device(db, request.device_id).await?;
    let committed_seq = own_live_device(principal, known)
        .map(|d| d.last_seq)
        .or_else(|e| match e {
            SyncError::DeviceRevoked { last_seq } => Ok(last_seq),
            other => Err(other),
        })?;
    Ok(PushPlan {
        request,
        committed_seq,
    })
}

/// Applies a device's batch in the caller's transaction (see the module). A database failure
/// answers 503 with the committed `last_seq`: the caller drops the transaction.
pub async fn push(
    tx: &mut WriteTx,
    settings: &Settings,
    principal: &Principal,
    plan: PushPlan,
) -> Result<Pushing> {
    let PushPlan {
        request,
        committed_seq,
    } = plan;
    let device_id = request.device_id;
    let failed = |error: sea_orm::DbErr| unavailable(device_id, committed_seq, &error);
    set_lock_timeout(tx, settings.sync_lock_timeout_ms)
        .await
        .map_err(failed)?;
    let locked = store::lock_device(tx.conn(), device_id)
        .await
        .map_err(failed)?;
    let device = match own_live_device(principal, locked) {
        Err(SyncError::DeviceRevoked { last_seq }) => {
            quarantine(tx, request, last_seq).await?;
            return Ok(Pushing::Quarantined { last_seq });
        }
        other => other?,
    };
    let committed_seq = device.last_seq;
    let failed = |error: Abort| unavailable(device_id, committed_seq, &error);
    let (outcome, seen) = apply_batch(tx, settings, principal, &device, request)
        .await
        .map_err(failed)?;
    store::record_push(tx.conn(), device.id, seen)
        .await
        .map_err(|e| failed(e.into()))?;
    Ok(Pushing::Applied {
        device_id,
        committed_seq,
        outcome,
    })
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
    // The device's offset, when it said its time; else the newest mutation's clock minus now
    // (a lower bound: the device recorded it before pushing) is what the device list shows.
    let stated_offset = request.device_time.map(|t| t - now_ms);
    let mut clock_offset_ms = stated_offset;
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
        clock_offset_ms = stated_offset.or(Some((m.hlc >> 16) - now_ms));
        let receipt = Receipt {
            at: now,
            clock_offset_ms: stated_offset,
        };
        let result = apply_pushed(tx, settings, principal, device.id, &m, receipt).await?;
        skewed |= result.clock_skew;
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
                pushed: &m,
                status: result.status.into(),
                result: &stored,
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

/// Applies one mutation as its device pushed it, as `principal` (the device's person): the
/// device's clock clamped when it runs too far ahead of the server's, its `base_version` and
/// `prev_local_seq` handed to the handler. The one path of a pushed mutation: a push runs it
/// for each of its batch, and accepting a quarantined mutation runs it for the stored one.
pub(super) async fn apply_pushed(
    tx: &mut WriteTx,
    settings: &Settings,
    principal: &Principal,
    device_id: uuid::Uuid,
    m: &Pushed,
    receipt: Receipt,
) -> std::result::Result<MutationResult, Abort> {
    let now_ms = receipt.at.timestamp_millis();
    let clamped = (m.hlc >> 16) > now_ms + MAX_CLOCK_LEAD_MS;
    let ctx = Context {
        principal,
        settings,
        device_id,
        seq: m.seq,
        mutation_id: m.id,
        hlc: if clamped { now_ms << 16 } else { m.hlc },
        base_version: m.base_version,
        prev_local_seq: m.prev_local_seq,
        received_at: receipt.at,
        clock_offset_ms: receipt.clock_offset_ms,
    };
    apply_one(tx, &ctx, &m.name, m.args.clone(), clamped).await
}

/// When the server received a mutation's push, and the device's clock offset it stated then.
#[derive(Debug, Clone, Copy)]
pub(super) struct Receipt {
    pub at: chrono::DateTime<chrono::Utc>,
    pub clock_offset_ms: Option<i64>,
}

/// Applies one mutation in its own savepoint: kept when it goes through, undone when refused
/// (the refusal is then its result). Only a database failure is an error.
async fn apply_one(
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
