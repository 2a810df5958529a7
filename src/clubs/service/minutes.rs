//! A meeting's minutes: Markdown text, every version kept.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result, member_meeting, require_run};
use crate::clubs::model::{MeetingStatus, Minutes};
use crate::clubs::store;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// The longest minutes, in characters.
pub const MINUTES_MAX_CHARS: usize = 100_000;

/// Posts a new version of a meeting's minutes (the club's animators and administrators). With
/// `based_on`, the version the author edited: if another was posted since, 409 and nothing is
/// lost (the author merges and posts again).
pub async fn post_minutes(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    body: &str,
    based_on: Option<i32>,
) -> Result<Minutes> {
    let (_, seen) = member_meeting(tx.conn(), principal, meeting_id).await?;
    require_run(&seen, "only the club's animators post minutes")?;
    let body = body.trim();
    let mut errors = FieldErrors::default();
    if body.is_empty() {
        errors.add("body", "must not be empty");
    } else if body.chars().count() > MINUTES_MAX_CHARS {
        errors.add(
            "body",
            format!("must be at most {MINUTES_MAX_CHARS} characters"),
        );
    }
    errors.into_result().map_err(ClubsError::Invalid)?;
    let meeting = store::lock_meeting(tx, meeting_id)
        .await?
        .ok_or(ClubsError::MeetingNotFound)?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(ClubsError::MeetingCancelled);
    }
    let latest = store::minutes_versions(tx.conn(), meeting_id)
        .await?
        .last()
        .map_or(0, |m| m.number);
    if based_on.is_some_and(|n| n != latest) {
        return Err(ClubsError::MinutesChanged);
    }
    Ok(store::insert_minutes(
        tx,
        meeting_id,
        latest + 1,
        body.to_owned(),
        principal.person_id,
    )
    .await?)
}

/// Every version of a meeting's minutes (members and animators; 404 for others, and when there
/// are none yet).
pub async fn minutes(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<Vec<Minutes>> {
    member_meeting(db, principal, meeting_id).await?;
    let versions = store::minutes_versions(db, meeting_id).await?;
    if versions.is_empty() {
        return Err(ClubsError::MinutesNotFound);
    }
    Ok(versions)
}
