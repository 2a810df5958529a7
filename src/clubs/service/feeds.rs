//! What the calendar context needs of clubs: a public club's meetings, and the meetings of the
//! clubs a person belongs to. No policy beyond the club's own visibility: feeds are public or
//! reached by a personal token.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result};
use crate::clubs::model::{CalendarVisibility, Club, ClubStatus, Meeting};
use crate::clubs::store;

/// An active club whose calendar is public, with its meetings (404 for any other).
pub async fn public_club_meetings(
    db: &impl ConnectionTrait,
    club_id: Uuid,
) -> Result<(Club, Vec<Meeting>)> {
    let club = store::club(db, club_id)
        .await?
        .map(store::club_of)
        .filter(|c| {
            c.status == ClubStatus::Active && c.calendar_visibility == CalendarVisibility::Public
        })
        .ok_or(ClubsError::ClubNotFound)?;
    let meetings = store::meetings_of_clubs(db, &[club_id]).await?;
    Ok((club, meetings))
}

/// The meetings of every club `person_id` is an active member or animator of, each with its
/// club; and the last time one of their memberships changed (a feed's `Last-Modified` must move
/// when a club leaves it).
pub async fn meetings_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<(Vec<(Meeting, Club)>, Vec<chrono::DateTime<chrono::Utc>>)> {
    let memberships = store::memberships_of_person(db, person_id).await?;
    let changes = memberships.iter().map(|m| m.updated_at).collect();
    let mut clubs = Vec::new();
    for m in memberships.iter().filter(|m| m.is_active()) {
        if let Some(club) = store::club(db, m.club_id).await? {
            clubs.push(store::club_of(club));
        }
    }
    let ids: Vec<Uuid> = clubs.iter().map(|c| c.id).collect();
    let meetings = store::meetings_of_clubs(db, &ids).await?;
    let with_club = meetings
        .into_iter()
        .filter_map(|m| {
            let club = clubs.iter().find(|c| c.id == m.club_id)?.clone();
            Some((m, club))
        })
        .collect();
    Ok((with_club, changes))
}

/// The sync scopes of `person_id`'s devices in clubs: the whole club for those who animate it,
/// the club and its meetings for its active members.
pub async fn device_scopes(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<crate::db::scope::Scope>> {
    use crate::db::scope::Scope;
    Ok(store::memberships_of_person(db, person_id)
        .await?
        .into_iter()
        .filter(|m| m.is_active())
        .map(|m| {
            if m.is_animator() {
                Scope::Club(m.club_id)
            } else {
                Scope::ClubMembers(m.club_id)
            }
        })
        .collect())
}
