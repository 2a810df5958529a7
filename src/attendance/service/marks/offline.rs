//! A mark pushed by a device that recorded it offline (`attendance.set@1`).
//!
//! The checks are those of an online write. Then the three-way decision of the sync protocol:
//! the push applies when nothing is stored, when the device saw the stored value (its
//! `base_version`), when the stored value is the device's own earlier edit (`prev_local_seq`),
//! or when both say the same. Otherwise two people changed the mark without seeing each other's
//! change, and [`super::merge`] decides; the loser is answered so that the caller
//! keeps it in the conflict log.

use serde_json::{Value, json};
use uuid::Uuid;

use super::super::{AttendanceError, Result};
use super::PreparedMark;
use super::merge::{self, Contender, Rule, Side};
use super::write::{SlotMarkWrite, Written, authorize_slot_mark, snapshot, write_locked};
use crate::attendance::model::{Mark, Origin, Timing, hlc_at};
use crate::attendance::store::{self, MarkRow, NewEvent};
use crate::db::write::WriteTx;
use crate::principal::Principal;

/// A device's write to one half-day's mark.
#[derive(Debug)]
pub struct OfflineMark {
    pub slot_id: Uuid,
    pub person_id: Uuid,
    /// `None` clears the mark.
    pub prepared: Option<PreparedMark>,
    /// The mark's version the device last saw (`None`: it saw no mark).
    pub base_version: Option<i64>,
    /// This device's previous pending mutation of the same mark, if any.
    pub prev_local_seq: Option<i64>,
    pub origin: Origin,
    pub timing: Timing,
}

/// What became of a device's write.
#[derive(Debug)]
pub enum OfflineOutcome {
    /// Written (`None`: the mark is cleared).
    Applied(Option<Mark>),
    /// Decided against a concurrent change; the stored mark is `mark`.
    Conflict(Box<MarkConflict>),
}

/// A conflict over one mark, decided.
#[derive(Debug)]
pub struct MarkConflict {
    pub mark_id: Uuid,
    pub session_id: Uuid,
    pub rule: Rule,
    /// Whether the pushed value won (it is then stored).
    pub incoming_won: bool,
    pub winner: Value,
    pub loser: Value,
    pub winner_by: Uuid,
    pub loser_by: Uuid,
    /// The device of the losing value (`None` for an online write).
    pub loser_device: Option<Uuid>,
    /// The mark as stored after the decision.
    pub mark: Option<Mark>,
}

/// Applies a device's write to a mark, or decides its conflict (see the module).
pub async fn set_offline_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    write: OfflineMark,
) -> Result<OfflineOutcome> {
    let check = SlotMarkWrite {
        slot_id: write.slot_id,
        person_id: write.person_id,
        status: write.prepared.as_ref().map(PreparedMark::status),
        signed: write.prepared.as_ref().is_some_and(PreparedMark::signed),
        timing: write.timing,
    };
    let authorized = authorize_slot_mark(tx, principal, check).await?;
    let recorded_as = authorized.recorded_as;
    let before = store::lock_mark(tx, write.slot_id, write.person_id).await?;
    let incoming = Contender {
        status: write.prepared.as_ref().map(PreparedMark::status),
        signed_at: write
            .prepared
            .as_ref()
            .filter(|p| p.signed())
            .map(|p| p.signed_at().unwrap_or_else(|| write.origin.recorded_at())),
        recorded_as,
        hlc: write.origin.hlc,
        device_id: write.origin.device_id,
    };
    let incoming_json = contender_json(&incoming, write.prepared.as_ref(), principal.person_id);
    let written = Written {
        activity: authorized.activity,
        person_id: write.person_id,
        recorded_as,
        origin: Some(write.origin),
        correction: authorized.correction,
    };
    let stored = match before {
        Some(row) if !saw_or_followed(&row, &write) => row,
        before => {
            let mark = apply(tx, principal, before, written, write.prepared).await?;
            return Ok(OfflineOutcome::Applied(mark));
        }
    };
    let server = Contender {
        status: Some(stored.status),
        signed_at: stored.signature_sha256.as_ref().and(stored.signed_at),
        recorded_as: stored.recorded_as,
        hlc: stored.hlc.unwrap_or_else(|| hlc_at(stored.updated_at)),
        device_id: stored.device_id.unwrap_or_default(),
    };
    let server_json = stored_json(&stored);
    let (side, rule) = merge::winner(&server, &incoming);
    if same_value(&stored, &write) {
        // Both say the same: no conflict, but the stored value keeps the higher rank (an
        // administrator's correction stays one), so that the next concurrent push is judged
        // against it whatever the order of arrival.
        let mark = match side {
            Side::Server => Some(store::mark_of(stored)),
            Side::Incoming => apply(tx, principal, Some(stored), written, write.prepared).await?,
        };
        return Ok(OfflineOutcome::Applied(mark));
    }
    let conflict = |incoming_won: bool, mark: Option<Mark>| {
        let (winner, loser) = if incoming_won {
            (incoming_json.clone(), server_json.clone())
        } else {
            (server_json.clone(), incoming_json.clone())
        };
        let (winner_by, loser_by) = if incoming_won {
            (principal.person_id, stored.recorded_by)
        } else {
            (stored.recorded_by, principal.person_id)
        };
        MarkConflict {
            mark_id: stored.id,
            session_id: stored.context_id,
            rule,
            incoming_won,
            winner,
            loser,
            winner_by,
            loser_by,
            loser_device: if incoming_won {
                stored.device_id
            } else {
                Some(write.origin.device_id)
            },
            mark,
        }
    };
    Ok(OfflineOutcome::Conflict(Box::new(match side {
        Side::Server => conflict(false, Some(store::mark_of(stored.clone()))),
        Side::Incoming => {
            let mark = apply(tx, principal, Some(stored.clone()), written, write.prepared).await?;
            conflict(true, mark)
        }
    })))
}

/// Whether the device saw the stored mark (its base version) or the stored mark is the device's
/// own previous edit: the push then simply follows it.
fn saw_or_followed(stored: &MarkRow, write: &OfflineMark) -> bool {
    let saw_it = write.base_version == Some(stored.version);
    let own_edit = stored.device_id == Some(write.origin.device_id)
        && stored.device_seq.is_some()
        && stored.device_seq == write.prev_local_seq;
    saw_it || own_edit
}

/// Whether the push says what is stored (status, late minutes, signature).
fn same_value(stored: &MarkRow, write: &OfflineMark) -> bool {
    write.prepared.as_ref().is_some_and(|p| {
        p.status() == stored.status
            && p.late_minutes() == stored.late_minutes
            && p.signature_sha256() == stored.signature_sha256.as_deref()
    })
}

/// Writes the device's value (or clears the mark).
async fn apply(
    tx: &mut WriteTx,
    principal: &Principal,
    before: Option<MarkRow>,
    written: Written,
    prepared: Option<PreparedMark>,
) -> Result<Option<Mark>> {
    match (prepared, before) {
        (Some(prepared), before) => Ok(Some(
            write_locked(tx, principal, before, written, prepared)
                .await?
                .mark,
        )),
        (None, None) => Ok(None),
        (None, Some(row)) => {
            store::record(
                tx,
                NewEvent {
                    context_id: written.activity.context_id,
                    subject: "mark",
                    subject_id: row.id,
                    action: "clear",
                    by: principal.person_id,
                    before: Some(snapshot(&row)),
                    after: None,
                    reason: None,
                },
            )
            .await?;
            store::delete_mark(tx, row)
                .await
                .map_err(AttendanceError::Db)?;
            Ok(None)
        }
    }
}

fn stored_json(row: &MarkRow) -> Value {
    let mut value = snapshot(row);
    value["device_id"] = json!(row.device_id);
    value["hlc"] = json!(row.hlc);
    value
}

fn contender_json(c: &Contender, prepared: Option<&PreparedMark>, by: Uuid) -> Value {
    use sea_orm::ActiveEnum;
    json!({
        "status": c.status.map(|s| s.to_value()),
        "late_minutes": prepared.and_then(PreparedMark::late_minutes),
        "signature_sha256": prepared.and_then(PreparedMark::signature_sha256),
        "signed_at": c.signed_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "recorded_by": by,
        "recorded_as": c.recorded_as.to_value(),
        "device_id": c.device_id,
        "hlc": c.hlc,
    })
}
