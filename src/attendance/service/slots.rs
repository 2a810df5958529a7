//! A trainer countersigns a half-day, which freezes its marks; an administrator may reopen it
//! with a reason (kept in the history).

use serde_json::json;
use uuid::Uuid;

use super::{AttendanceError, Result, lock_open_slot, reason_of, require_admin, require_running};
use crate::attendance::model::{Origin, Reopening, Signoff};
use crate::attendance::policy;
use crate::attendance::signature::{self, CheckedSignature, SignatureSource};
use crate::attendance::store::{self, NewEvent, SignoffRow, SignoffState};
use crate::db::write::WriteTx;
use crate::principal::Principal;

/// Checks the trainer's signature image before the transaction.
pub fn prepare_countersignature(png: Vec<u8>) -> Result<CheckedSignature> {
    Ok(signature::check(png)?)
}

/// The trainer countersigns the half-day (once it has started): its marks are frozen until an
/// administrator reopens it. Online it is signed when the server receives it; a device's
/// (`origin`) when the device's clock says, received at its push.
pub async fn countersign(
    tx: &mut WriteTx,
    principal: &Principal,
    slot_id: Uuid,
    signature: SignatureSource,
    origin: Option<Origin>,
) -> Result<Signoff> {
    let (locked, status) = lock_open_slot(tx, slot_id).await?;
    if !policy::may_countersign(principal, &locked.trainers) {
        // An administrator sees the half-day but does not sign for its trainer.
        return Err(if policy::may_see_sheet(principal, &locked.trainers) {
            AttendanceError::Forbidden("only a trainer of the session countersigns its half-days")
        } else {
            AttendanceError::SlotNotFound
        });
    }
    require_running(status)?;
    let now = tx.now();
    if now < locked.slot.starts_at {
        return Err(AttendanceError::SlotNotStarted);
    }
    let before = store::lock_signoff(tx, slot_id).await?;
    if before
        .as_ref()
        .is_some_and(|s| store::signoff_of(s.clone()).freezes())
    {
        return Err(AttendanceError::SlotCountersigned);
    }
    super::keep_signature(tx, &signature, principal.person_id).await?;
    let state = SignoffState {
        trainer_id: principal.person_id,
        signature_sha256: signature.sha256().to_owned(),
        signed_at: origin.map_or(now, |o| o.recorded_at().min(now)),
        received_at: origin.map_or(now, |o| o.received_at),
        device: origin.map(|o| o.witness()),
    };
    let after =
        store::countersign(tx, before.as_ref(), slot_id, locked.slot.session_id, state).await?;
    record(tx, principal, "countersign", before.as_ref(), &after, None).await?;
    Ok(store::signoff_of(after))
}

/// An administrator reopens a countersigned half-day, saying why: its marks may change again
/// until it is countersigned anew.
pub async fn reopen_slot(
    tx: &mut WriteTx,
    principal: &Principal,
    slot_id: Uuid,
    reason: &str,
) -> Result<Signoff> {
    require_admin(principal)?;
    let reason = reason_of(reason, "reason")?;
    let (_, status) = lock_open_slot(tx, slot_id).await?;
    require_running(status)?;
    let before = store::lock_signoff(tx, slot_id)
        .await?
        .filter(|s| store::signoff_of(s.clone()).freezes())
        .ok_or(AttendanceError::SlotNotCountersigned)?;
    let reopening = Reopening {
        at: tx.now(),
        by: principal.person_id,
        reason: reason.clone(),
    };
    let after = store::reopen(tx, &before, reopening.by, reason.clone(), reopening.at).await?;
    record(
        tx,
        principal,
        "reopen",
        Some(&before),
        &after,
        Some(&reason),
    )
    .await?;
    Ok(store::signoff_of(after))
}

async fn record(
    tx: &WriteTx,
    principal: &Principal,
    action: &'static str,
    before: Option<&SignoffRow>,
    after: &SignoffRow,
    reason: Option<&str>,
) -> Result<()> {
    let snapshot = |row: &SignoffRow| {
        json!({
            "trainer_id": row.trainer_id,
            "signature_sha256": row.signature_sha256,
            "signed_at": row.signed_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "reopened": row.reopened_at.is_some(),
        })
    };
    store::record(
        tx,
        NewEvent {
            context_id: after.session_id,
            subject: "slot",
            subject_id: after.id,
            action,
            by: principal.person_id,
            before: before.map(snapshot),
            after: Some(snapshot(after)),
            reason,
        },
    )
    .await?;
    Ok(())
}

/// Stores a signature image a device uploads before pushing the marks that name it; answers
/// whether it is new (the same bytes are kept once).
pub async fn keep_uploaded_signature(
    db: &impl sea_orm::ConnectionTrait,
    checked: &CheckedSignature,
    by: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    if store::exists(db, &checked.sha256).await? {
        return Ok(false);
    }
    store::keep(db, checked, by, at).await?;
    Ok(true)
}
