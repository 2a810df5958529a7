//! Activity figures per club over a year (administrators): meetings planned, held and
//! cancelled, attendances, distinct attendees, active members and those who joined.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, TimeZone as _};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result};
use crate::attendance::model::MarkStatus;
use crate::attendance::service as attendance;
use crate::clubs::model::{ClubActivity, MeetingStatus, MembershipStatus};
use crate::clubs::policy;
use crate::clubs::store;
use crate::principal::Principal;

/// Each club's figures for `year` (meetings counted by the year they start in, in the meeting's
/// own time zone), in creation order of the clubs.
pub async fn activity(
    db: &impl ConnectionTrait,
    principal: &Principal,
    year: i32,
) -> Result<Vec<ClubActivity>> {
    if !policy::may_administer(principal) {
        return Err(ClubsError::Forbidden(
            "only administrators see the clubs' activity",
        ));
    }
    let clubs: Vec<_> = store::all_clubs(db)
        .await?
        .into_iter()
        .map(store::club_of)
        .collect();
    let ids: Vec<Uuid> = clubs.iter().map(|c| c.id).collect();
    let meetings = store::meetings_of_clubs(db, &ids).await?;
    let in_year: HashMap<Uuid, &crate::clubs::model::Meeting> = meetings
        .iter()
        .filter(|m| local_year(m) == year)
        .map(|m| (m.id, m))
        .collect();
    let marks = attendance::meeting_marks_of_clubs(db, &ids).await?;
    let memberships = store::all_memberships(db).await?;
    Ok(clubs
        .into_iter()
        .map(|club| {
            let of_club = || in_year.values().filter(|m| m.club_id == club.id);
            let held: HashSet<Uuid> = of_club()
                .filter(|m| m.status == MeetingStatus::Held)
                .map(|m| m.id)
                .collect();
            let came: Vec<_> = marks
                .iter()
                .filter(|m| held.contains(&m.slot_id))
                .filter(|m| matches!(m.status, MarkStatus::Present | MarkStatus::Late))
                .collect();
            let of_members = || memberships.iter().filter(|m| m.club_id == club.id);
            ClubActivity {
                club_id: club.id,
                name: club.name,
                trade: club.trade,
                meetings_planned: of_club()
                    .filter(|m| m.status == MeetingStatus::Planned)
                    .count() as u32,
                meetings_held: held.len() as u32,
                meetings_cancelled: of_club()
                    .filter(|m| m.status == MeetingStatus::Cancelled)
                    .count() as u32,
                attendances: came.len() as u32,
                distinct_attendees: came
                    .iter()
                    .map(|m| m.person_id)
                    .collect::<HashSet<_>>()
                    .len() as u32,
                active_members: of_members().filter(|m| m.is_active()).count() as u32,
                joined_in_year: of_members()
                    .filter(|m| m.status == MembershipStatus::Active)
                    .filter(|m| m.decided_at.unwrap_or(m.requested_at).year() == year)
                    .count() as u32,
            }
        })
        .collect())
}

fn local_year(meeting: &crate::clubs::model::Meeting) -> i32 {
    match meeting.time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => tz.from_utc_datetime(&meeting.starts_at.naive_utc()).year(),
        Err(_) => meeting.starts_at.year(),
    }
}
