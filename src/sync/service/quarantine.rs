//! What revoked devices pushed: kept, never applied unless an administrator accepts it (it is
//! then applied now, as its person, through the same handlers as a push), or discarded with a
//! reason.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::push::{PushRequest, Receipt};
use super::{Result, SyncError, require_admin};
use crate::accounts::service as accounts;
use crate::config::Settings;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::sync::model::{MutationStatus, Quarantined};
use crate::sync::mutations::Abort;
use crate::sync::store::{self, Decision, MutationRow, NewMutation};

/// The quarantine: mutations of `status` (`quarantined`, `accepted` or `discarded`).
pub async fn quarantined(
    db: &impl ConnectionTrait,
    principal: &Principal,
    status: MutationStatus,
) -> Result<Vec<Quarantined>> {
    require_admin(principal)?;
    let mut list = Vec::new();
    for row in store::mutations_with_status(db, status).await? {
        let person_id = store::device(db, row.device_id)
            .await?
            .map(|d| d.person_id)
            .unwrap_or_default();
        list.push(quarantined_of(row, person_id));
    }
    Ok(list)
}

fn quarantined_of(row: MutationRow, person_id: Uuid) -> Quarantined {
    Quarantined {
        device_id: row.device_id,
        person_id,
        seq: row.seq,
        mutation_id: row.mutation_id,
        name: row.name,
        args: serde_json::from_str(&row.args).unwrap_or_default(),
        hlc: row.hlc,
        base_version: row.base_version,
        prev_local_seq: row.prev_local_seq,
        received_at: row.received_at,
        status: row.status,
        decided_at: row.decided_at,
        decided_by: row.decided_by,
        decision_reason: row.decision_reason,
        result: serde_json::from_str(&row.result).ok(),
    }
}

/// Accepts (applies now, in the caller's transaction) or discards a quarantined mutation, with
/// a reason.
pub async fn decide_quarantined(
    tx: &mut WriteTx,
    settings: &Settings,
    principal: &Principal,
    device_id: Uuid,
    seq: i64,
    accept: bool,
    reason: &str,
) -> Result<Quarantined> {
    require_admin(principal)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(SyncError::invalid("reason", "say why"));
    }
    let row = store::mutation_at(tx.conn(), device_id, seq)
        .await?
        .ok_or(SyncError::MutationNotFound)?;
    if row.status != MutationStatus::Quarantined {
        return Err(SyncError::NotQuarantined);
    }
    let device = store::device(tx.conn(), device_id)
        .await?
        .ok_or(SyncError::MutationNotFound)?;
    let result = if accept {
        let author = accounts::principal_of(tx.conn(), device.person_id)
            .await?
            .ok_or(SyncError::MutationNotFound)?;
        // Applied as pushed (its clock, its base version, its previous change of the row), by
        // the same path as a push: what the device had seen decides, as it would have then.
        let pushed = store::pushed_of(&row);
        // Received when it was pushed (its clock clamped against that instant); the offset
        // the device stated then is not kept with a quarantined mutation.
        let receipt = Receipt {
            at: row.received_at,
            clock_offset_ms: None,
        };
        let result = super::push::apply_pushed(tx, settings, &author, device_id, &pushed, receipt)
            .await
            .map_err(|abort| match abort {
                Abort::Db(error) => SyncError::Db(error),
                Abort::Internal(error) => SyncError::Internal(error),
            })?;
        serde_json::to_value(result).unwrap_or_default()
    } else {
        serde_json::Value::Null
    };
    let decision = Decision {
        status: if accept {
            MutationStatus::Accepted
        } else {
            MutationStatus::Discarded
        },
        result: &result,
        by: principal.person_id,
        reason,
        at: tx.now(),
    };
    if !store::decide(tx.conn(), device_id, seq, decision).await? {
        return Err(SyncError::NotQuarantined);
    }
    let row = store::mutation_at(tx.conn(), device_id, seq)
        .await?
        .ok_or(SyncError::MutationNotFound)?;
    Ok(quarantined_of(row, device.person_id))
}

/// Keeps what a revoked device pushed, unapplied, for an administrator to review.
pub(super) async fn quarantine(tx: &WriteTx, request: PushRequest, last_seq: i64) -> Result<()> {
    let now = tx.now();
    for m in request.mutations.iter().filter(|m| m.seq > last_seq) {
        store::insert_mutation_once(
            tx.conn(),
            NewMutation {
                device_id: request.device_id,
                pushed: m,
                status: MutationStatus::Quarantined,
                result: &serde_json::Value::Null,
                at: now,
            },
        )
        .await?;
    }
    Ok(())
}
