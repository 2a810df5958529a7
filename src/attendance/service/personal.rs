//! A person's marks, for the personal-data export and erasure (GDPR Art. 15, 17, 20). No
//! policy here: the privacy context decides who may ask.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Result;
use crate::attendance::model::{ActivityKind, Mark};
use crate::attendance::store;
use crate::db::write::WriteTx;
use crate::values::{Erasure, Treatment};

/// A person's marks: at the half-days of sessions, and at club meetings.
#[derive(Debug, Clone)]
pub struct PersonalMarks {
    pub half_days: Vec<Mark>,
    pub meetings: Vec<Mark>,
}

pub async fn personal_data(db: &impl ConnectionTrait, person_id: Uuid) -> Result<PersonalMarks> {
    let of = |kind| store::marks_of_person(db, person_id, kind);
    Ok(PersonalMarks {
        half_days: of(ActivityKind::Slot)
            .await?
            .into_iter()
            .map(store::mark_of)
            .collect(),
        meetings: of(ActivityKind::Meeting)
            .await?
            .into_iter()
            .map(store::mark_of)
            .collect(),
    })
}

/// Keeps the marks of sessions' half-days with their signatures — the attendance sheet is
/// evidence the law keeps for its retention period, and it names the person by their
/// pseudonym from now on — and removes the marks of club meetings (the devices that saw them
/// get tombstones).
pub async fn erase_personal_data(tx: &mut WriteTx, person_id: Uuid) -> Result<Vec<Erasure>> {
    let kept = store::marks_of_person(tx.conn(), person_id, ActivityKind::Slot).await?;
    let meetings = store::marks_of_person(tx.conn(), person_id, ActivityKind::Meeting).await?;
    let removed = meetings.len();
    for row in meetings {
        store::delete_mark(tx, row).await?;
    }
    Ok(vec![
        Erasure::new("attendance_mark", Treatment::Retained, kept.len()),
        Erasure::new("meeting_mark", Treatment::Removed, removed),
    ])
}

/// Removes the attendance evidence — marks, countersignatures, their history and the signature
/// images no one else shows — of the sessions whose last half-day ended before `before`
/// (counts it when `dry_run`). The enrolments keep the minutes attended that closing recorded.
pub async fn purge_attendance(
    tx: &mut WriteTx,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<Vec<crate::values::Purged>> {
    use crate::values::Purged;
    let sessions = crate::catalogue::service::sessions_ended_before(tx.conn(), before).await?;
    let purged = store::purge_evidence(tx, &sessions, before, dry_run).await?;
    Ok(vec![
        Purged::new("attendance_mark", purged.marks),
        Purged::new("slot_signoff", purged.countersignatures),
        Purged::new("attendance_event", purged.history),
        Purged::new("signature", purged.signatures),
    ])
}
