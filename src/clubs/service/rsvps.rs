//! Answering a meeting, and who answered what (animators).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result, require_run, seen_meeting};
use crate::accounts::service as accounts;
use crate::clubs::model::{MeetingStatus, PersonRef, Rsvp, RsvpAnswer, RsvpCounts};
use crate::clubs::store;
use crate::db::write::WriteTx;
use crate::principal::Principal;

/// The caller answers a meeting of their club. While the meeting is planned and not over; a
/// "yes" needs a free place when the meeting has a capacity (409 when full).
pub async fn rsvp(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    answer: RsvpAnswer,
) -> Result<(Rsvp, bool)> {
    let (_, seen) = seen_meeting(tx.conn(), principal, meeting_id).await?;
    let member = seen.mine.as_ref().is_some_and(|m| m.is_active());
    if !member {
        // They see the meeting (a public calendar, or an administrator) but do not belong.
        return Err(ClubsError::Forbidden(
            "only the club's members answer its meetings",
        ));
    }
    let meeting = store::lock_meeting(tx, meeting_id)
        .await?
        .map(store::meeting_of)
        .ok_or(ClubsError::MeetingNotFound)?;
    match meeting.status {
        MeetingStatus::Cancelled => return Err(ClubsError::MeetingCancelled),
        MeetingStatus::Held => return Err(ClubsError::MeetingOver),
        MeetingStatus::Planned if meeting.ends_at <= tx.now() => {
            return Err(ClubsError::MeetingOver);
        }
        MeetingStatus::Planned => {}
    }
    if answer == RsvpAnswer::Yes
        && let Some(capacity) = meeting.capacity
    {
        let others_yes = store::rsvps_of_meetings(tx.conn(), &[meeting_id])
            .await?
            .into_iter()
            .filter(|r| r.answer == RsvpAnswer::Yes && r.person_id != principal.person_id)
            .count();
        if others_yes >= usize::try_from(capacity).unwrap_or(0) {
            return Err(ClubsError::MeetingFull);
        }
    }
    Ok(store::write_rsvp(tx, meeting_id, meeting.club_id, principal.person_id, answer).await?)
}

/// Who answered what, for the club's animators and administrators.
pub async fn rsvps(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<(RsvpCounts, Vec<(Rsvp, PersonRef)>)> {
    let (_, seen) = seen_meeting(db, principal, meeting_id).await?;
    require_run(&seen, "only the club's animators see who answered")?;
    let rsvps = store::rsvps_of_meetings(db, &[meeting_id]).await?;
    let ids: Vec<Uuid> = rsvps.iter().map(|r| r.person_id).collect();
    let cards = accounts::person_cards(db, &ids).await?;
    let counts = super::counts(&rsvps);
    Ok((
        counts,
        rsvps
            .into_iter()
            .filter_map(|r| {
                let card = cards.get(&r.person_id)?.clone();
                Some((r, card))
            })
            .collect(),
    ))
}
