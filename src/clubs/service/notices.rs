//! What notifications need of clubs: the people a meeting concerns (its club's active members
//! and animators) and an accepted membership. No policy: messages go to the people concerned.

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::Result;
use crate::clubs::model::{Club, Meeting, Membership};
use crate::clubs::store;

/// A meeting, its club and the people it concerns, if the meeting exists.
pub async fn meeting_audience(
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<Option<(Club, Meeting, Vec<Uuid>)>> {
    let Some(meeting) = store::meeting(db, meeting_id).await? else {
        return Ok(None);
    };
    let Some(club) = store::club(db, meeting.club_id).await?.map(store::club_of) else {
        return Ok(None);
    };
    let people = store::memberships_of_club(db, club.id)
        .await?
        .into_iter()
        .filter(Membership::is_active)
        .map(|m| m.person_id)
        .collect();
    Ok(Some((club, meeting, people)))
}

/// A membership and its club, by the membership's id.
pub async fn membership_notice(
    db: &impl ConnectionTrait,
    membership_id: Uuid,
) -> Result<Option<(Club, Membership)>> {
    let Some(membership) = entity::club_membership::Entity::find_by_id(membership_id)
        .one(db)
        .await?
        .map(store::membership_of)
    else {
        return Ok(None);
    };
    let club = store::club(db, membership.club_id)
        .await?
        .map(store::club_of);
    Ok(club.map(|club| (club, membership)))
}
