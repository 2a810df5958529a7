//! Absence alerts (Qualiopi ind. 12): every trainee marked absent from a half-day is listed for
//! follow-up; the session's trainers and administrators log what they did, and the drop-out
//! reason when a trainee leaves.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::sheet::{build_sheet, visible_session};
use super::{AttendanceError, Result, reason_of};
use crate::attendance::model::{Absence, DropOutCause, FollowUp, MarkStatus};
use crate::attendance::store;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// The session's absent trainees with their follow-up log, for its trainers and administrators.
pub async fn absences(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<Absence>> {
    let session = visible_session(db, principal, session_id).await?;
    let sheet = build_sheet(db, &session).await?;
    let mut log = store::follow_ups(db, session_id).await?;
    Ok(sheet
        .rows
        .into_iter()
        .filter_map(|row| {
            let with = |status: MarkStatus| -> Vec<Uuid> {
                sheet
                    .slots
                    .iter()
                    .zip(&row.marks)
                    .filter(|(_, m)| m.as_ref().is_some_and(|m| m.status == status))
                    .map(|(s, _)| s.id)
                    .collect()
            };
            let (absent, excused) = (with(MarkStatus::Absent), with(MarkStatus::Excused));
            let follow_ups: Vec<FollowUp> = log
                .extract_if(.., |f| f.person_id == row.person_id)
                .collect();
            (!absent.is_empty() || !follow_ups.is_empty()).then_some(Absence {
                person_id: row.person_id,
                first_name: row.first_name,
                last_name: row.last_name,
                absent_slots: absent,
                excused_slots: excused,
                follow_ups,
            })
        })
        .collect())
}

fn invalid(field: &str, message: &str) -> AttendanceError {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    AttendanceError::Invalid(errors)
}

/// Logs a follow-up of a trainee's absence (a call, an e-mail…), and the drop-out if they leave
/// the training: its cause from the closed list, with a note (required for `other`). For the
/// session's trainers and administrators; the trainee must be on the session's roster.
pub async fn follow_up(
    tx: &mut WriteTx,
    principal: &Principal,
    session_id: Uuid,
    person_id: Uuid,
    note: &str,
    drop_out_cause: Option<DropOutCause>,
    drop_out_reason: Option<&str>,
) -> Result<FollowUp> {
    let session = visible_session(tx.conn(), principal, session_id).await?;
    let note = reason_of(note, "note")?;
    let reason = match drop_out_reason {
        Some(reason) => Some(reason_of(reason, "drop_out_reason")?),
        None => None,
    };
    let drop_out = match (drop_out_cause, reason) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(invalid(
                "drop_out_cause",
                "a drop-out says its cause: personal, professional, health, content_unsuited or other",
            ));
        }
        (Some(DropOutCause::Other), None) => {
            return Err(invalid("drop_out_reason", "say what the other cause is"));
        }
        (Some(cause), reason) => Some((cause, reason)),
    };
    let sheet = build_sheet(tx.conn(), &session).await?;
    if !sheet.rows.iter().any(|r| r.person_id == person_id) {
        return Err(AttendanceError::TraineeNotFound);
    }
    Ok(store::add_follow_up(
        tx,
        session_id,
        person_id,
        principal.person_id,
        note,
        drop_out,
    )
    .await?)
}

/// Who left the session's training and why: per trainee, the cause of the latest drop-out
/// their follow-ups record (for the published result indicators; no caller check — the figures
/// are counts).
pub async fn drop_outs(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<std::collections::BTreeMap<Uuid, DropOutCause>> {
    let mut causes = std::collections::BTreeMap::new();
    for follow_up in store::follow_ups(db, session_id).await? {
        if let Some(cause) = follow_up.drop_out_cause {
            causes.insert(follow_up.person_id, cause);
        }
    }
    Ok(causes)
}
