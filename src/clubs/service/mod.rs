//! The rules of clubs. Writes take the caller's [`WriteTx`] and lock in one order — the club,
//! then the meeting, then the membership, RSVP or mark — so that decisions about one club or
//! meeting (the last seat of a meeting, the next version of its minutes) happen one at a time
//! on both engines.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{Club, Meeting, Membership};
use super::policy::{self, Access};
use super::store;
use crate::principal::Principal;

mod activity;
mod attendance;
mod clubs;
mod errors;
mod feeds;
mod files;
mod meetings;
mod members;
mod minutes;
mod notices;
mod personal;
mod resources;
mod rsvps;

pub use activity::*;
pub use attendance::*;
pub use clubs::*;
pub use errors::ClubsError;
pub use feeds::*;
pub use files::*;
pub use meetings::*;
pub use members::*;
pub use minutes::*;
pub use notices::*;
pub use personal::*;
pub use resources::*;
pub use rsvps::*;

pub type Result<T> = std::result::Result<T, ClubsError>;

/// A club with the caller's membership and access.
struct Seen {
    club: Club,
    mine: Option<Membership>,
    access: Access,
}

/// The club as the caller sees it; "not found" when they may not see it at all.
async fn seen_club(
    db: &impl ConnectionTrait,
    principal: &Principal,
    club_id: Uuid,
) -> Result<Seen> {
    let club = store::club(db, club_id)
        .await?
        .map(store::club_of)
        .ok_or(ClubsError::ClubNotFound)?;
    let mine = store::membership(db, club_id, principal.person_id).await?;
    let access = policy::access(principal, mine.as_ref());
    if !policy::may_see_club(access, &club) {
        return Err(ClubsError::ClubNotFound);
    }
    Ok(Seen { club, mine, access })
}

/// A meeting and its club as the caller sees them; "not found" when they may not see the
/// club's meetings.
async fn seen_meeting(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<(Meeting, Seen)> {
    let meeting = store::meeting(db, meeting_id)
        .await?
        .ok_or(ClubsError::MeetingNotFound)?;
    let seen = seen_club(db, principal, meeting.club_id)
        .await
        .map_err(|e| match e {
            ClubsError::ClubNotFound => ClubsError::MeetingNotFound,
            other => other,
        })?;
    if !policy::may_see_meetings(seen.access, &seen.club) {
        return Err(ClubsError::MeetingNotFound);
    }
    Ok((meeting, seen))
}

/// Member content (members list, minutes, resources, attendance) of a meeting: 404 for anyone
/// who is not a member.
async fn member_meeting(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<(Meeting, Seen)> {
    let (meeting, seen) = seen_meeting(db, principal, meeting_id).await?;
    if !policy::may_see_member_content(seen.access) {
        return Err(ClubsError::MeetingNotFound);
    }
    Ok((meeting, seen))
}

/// Running the club (its animators and administrators): 403 for others who see it.
fn require_run(seen: &Seen, what: &'static str) -> Result<()> {
    if policy::may_run(seen.access) {
        Ok(())
    } else {
        Err(ClubsError::Forbidden(what))
    }
}

/// A meeting whose club runs is still active.
fn require_active(club: &Club) -> Result<()> {
    if club.status == super::model::ClubStatus::Active {
        Ok(())
    } else {
        Err(ClubsError::ClubArchived)
    }
}

/// A reason that says something.
fn reason_of(reason: &str, field: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        let mut errors = crate::validation::FieldErrors::default();
        errors.add(field, "say why");
        return Err(ClubsError::Invalid(errors));
    }
    Ok(reason.to_owned())
}
