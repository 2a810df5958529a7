//! Who came to a meeting: the attendance context's marks (`activity_kind = meeting`), recorded
//! by the club's animators; signatures optional.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result, require_run, seen_meeting};
use crate::attendance::model::{Activity, ActivityKind, Mark, MarkSet, MarkStatus, RecordedAs};
use crate::attendance::service::{self as attendance, PreparedMark};
use crate::clubs::model::MeetingStatus;
use crate::clubs::store;
use crate::db::write::WriteTx;
use crate::principal::Principal;

/// Attendance is recorded from this long before a meeting starts.
pub const RECORDING_OPENS_BEFORE: chrono::Duration = chrono::Duration::minutes(30);

/// Records `person_id` (an active member or animator) at a meeting: its animators and
/// administrators, from 30 minutes before it starts; not for a cancelled meeting. The first
/// person recorded present makes the meeting `held`.
pub async fn set_meeting_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    person_id: Uuid,
    prepared: PreparedMark,
) -> Result<MarkSet> {
    let (_, seen) = seen_meeting(tx.conn(), principal, meeting_id).await?;
    require_run(&seen, "only the club's animators record who came")?;
    store::lock_club(tx, seen.club.id).await?;
    let before = store::lock_meeting(tx, meeting_id)
        .await?
        .ok_or(ClubsError::MeetingNotFound)?;
    if before.status == MeetingStatus::Cancelled {
        return Err(ClubsError::MeetingCancelled);
    }
    if tx.now() < before.starts_at - RECORDING_OPENS_BEFORE {
        return Err(ClubsError::MeetingNotStarted);
    }
    let member = store::membership(tx.conn(), seen.club.id, person_id).await?;
    if !member.is_some_and(|m| m.is_active()) {
        return Err(ClubsError::MemberNotFound);
    }
    let recorded_as =
        if principal.is_admin() && !seen.mine.as_ref().is_some_and(|m| m.is_animator()) {
            RecordedAs::Admin
        } else {
            RecordedAs::Trainer
        };
    let activity = Activity {
        kind: ActivityKind::Meeting,
        id: meeting_id,
        context_id: seen.club.id,
    };
    let status = prepared.status();
    let set =
        attendance::write_activity_mark(tx, principal, activity, person_id, prepared, recorded_as)
            .await?;
    if before.status == MeetingStatus::Planned
        && matches!(status, MarkStatus::Present | MarkStatus::Late)
    {
        store::set_meeting_status(tx, &before, MeetingStatus::Held, None).await?;
    }
    Ok(set)
}

/// Who came to a meeting (its animators and administrators; a member sees only their own).
pub async fn meeting_marks(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<Vec<Mark>> {
    let (_, seen) = seen_meeting(db, principal, meeting_id).await?;
    if !crate::clubs::policy::may_see_member_content(seen.access) {
        return Err(ClubsError::MeetingNotFound);
    }
    let runs = crate::clubs::policy::may_run(seen.access);
    Ok(attendance::marks_of_activity(db, meeting_id)
        .await?
        .into_iter()
        .filter(|m| runs || m.person_id == principal.person_id)
        .collect())
}
