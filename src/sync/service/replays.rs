//! A mutation pushed again — a retry (`seq` at or below `last_seq`), or the same mutation id
//! under another sequence number — answers its stored result, marked `replayed`; nothing is
//! applied twice.

use sea_orm::DbErr;

use crate::sync::model::{
    Device, MutationResult, MutationStatus, Pushed, Reason, RejectCode, Status,
};
use crate::sync::store;

/// The stored result of a mutation already processed, if it is this one.
pub(super) async fn stored_result(
    tx: &crate::db::write::WriteTx,
    device: &Device,
    m: &Pushed,
) -> Result<Option<MutationResult>, DbErr> {
    if let Some(row) = store::mutation_at(tx.conn(), device.id, m.seq).await? {
        return Ok((row.mutation_id == m.id).then(|| replay(&row, m.seq)));
    }
    earlier_by_id(tx, device, m).await
}

/// A mutation id already stored: its result again when it is this person's (from any of their
/// devices); a refusal when another person's device used the id (it is not theirs to replay).
pub(super) async fn earlier_by_id(
    tx: &crate::db::write::WriteTx,
    device: &Device,
    m: &Pushed,
) -> Result<Option<MutationResult>, DbErr> {
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
    let mut result = match row.status {
        MutationStatus::Quarantined => refused(
            "pushed by a revoked device: kept for an administrator, who will accept or discard it"
                .into(),
        ),
        MutationStatus::Discarded => refused(format!(
            "pushed by a revoked device and discarded by an administrator: {}",
            row.decision_reason.as_deref().unwrap_or("no reason given")
        )),
        MutationStatus::Applied
        | MutationStatus::Conflict
        | MutationStatus::Rejected
        | MutationStatus::Accepted => serde_json::from_str(&row.result)
            .unwrap_or_else(|_| refused("the stored result could not be read".into())),
    };
    result.id = row.mutation_id;
    result.seq = seq;
    result.replayed = true;
    result
}
