//! Planning, changing, cancelling and reading meetings.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    ClubsError, Result, Seen, reason_of, require_active, require_run, seen_club, seen_meeting,
};
use crate::clubs::model::{
    Meeting, MeetingChanges, MeetingStatus, MeetingView, NewMeeting, Rsvp, RsvpAnswer, RsvpCounts,
};
use crate::clubs::policy;
use crate::clubs::store;
use crate::db::outbox::Event;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};
use crate::values::{HttpUrl, TimeZone};

/// The longest meeting.
pub const LONGEST_MEETING: Duration = Duration::hours(24);

fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Checks one meeting's fields as they will be after a write.
fn check_meeting(m: &mut NewMeeting) -> Result<()> {
    let mut errors = FieldErrors::default();
    m.title = required_text(&mut errors, "title", &m.title, 200);
    m.agenda = m.agenda.trim().to_owned();
    if m.agenda.chars().count() > 20_000 {
        errors.add("agenda", "must be at most 20000 characters");
    }
    if m.ends_at <= m.starts_at {
        errors.add("ends_at", "must be after starts_at");
    } else if m.ends_at - m.starts_at > LONGEST_MEETING {
        errors.add("ends_at", "a meeting lasts at most 24 hours");
    }
    if let Some(zone) = errors.parse::<TimeZone>("time_zone", &m.time_zone) {
        m.time_zone = zone.name().to_owned();
    }
    m.place = optional(m.place.take());
    if m.place.as_ref().is_some_and(|p| p.chars().count() > 500) {
        errors.add("place", "must be at most 500 characters");
    }
    m.online_url = match optional(m.online_url.take()) {
        Some(url) => errors
            .parse::<HttpUrl>("online_url", &url)
            .map(HttpUrl::into_inner),
        None => None,
    };
    if m.capacity.is_some_and(|c| !(1..=10_000).contains(&c)) {
        errors.add("capacity", "between 1 and 10000");
    }
    errors.into_result().map_err(ClubsError::Invalid)
}

/// Changing whether a meeting counts in the Qualiopi and BPF scope (`Some(new value)`):
/// administrators only. Sending the current value changes nothing and needs no right.
fn require_quality_flag(principal: &Principal, flag: Option<bool>) -> Result<()> {
    if flag.is_some() && !policy::may_administer(principal) {
        return Err(ClubsError::Forbidden(
            "only administrators decide whether a meeting counts in the Qualiopi and BPF scope",
        ));
    }
    Ok(())
}

/// Plans a meeting (the club's animators and administrators).
pub async fn create_meeting(
    tx: &mut WriteTx,
    principal: &Principal,
    club_id: Uuid,
    mut new: NewMeeting,
) -> Result<MeetingView> {
    let seen = seen_club(tx.conn(), principal, club_id).await?;
    require_run(
        &seen,
        "only the club's animators and administrators plan its meetings",
    )?;
    require_quality_flag(principal, new.quality_scope.then_some(true))?;
    check_meeting(&mut new)?;
    let club = store::lock_club(tx, club_id)
        .await?
        .map(store::club_of)
        .ok_or(ClubsError::ClubNotFound)?;
    require_active(&club)?;
    let meeting = store::insert_meeting(tx, club_id, new, principal.person_id).await?;
    tx.emit([Event::MeetingPlanned(meeting.id)]).await?;
    Ok(view(meeting, &seen, principal, &[]))
}

/// Changes a planned meeting (the club's animators and administrators; `quality_scope`:
/// administrators). A new time, place or link bumps its iCalendar sequence.
pub async fn update_meeting(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    changes: MeetingChanges,
) -> Result<MeetingView> {
    let (_, seen) = seen_meeting(tx.conn(), principal, meeting_id).await?;
    require_run(
        &seen,
        "only the club's animators and administrators change its meetings",
    )?;
    let before = store::lock_meeting(tx, meeting_id)
        .await?
        .ok_or(ClubsError::MeetingNotFound)?;
    let current = store::meeting_of(before.clone());
    let flag_change = changes
        .quality_scope
        .filter(|&flag| flag != current.quality_scope);
    require_quality_flag(principal, flag_change)?;
    let schedule_changes = changes.starts_at.is_some()
        || changes.ends_at.is_some()
        || changes.time_zone.is_some()
        || changes.place.is_some()
        || changes.online_url.is_some();
    match current.status {
        MeetingStatus::Cancelled => return Err(ClubsError::MeetingCancelled),
        MeetingStatus::Held if schedule_changes => return Err(ClubsError::MeetingHeld),
        _ => {}
    }
    let mut merged = NewMeeting {
        title: changes.title.clone().unwrap_or(current.title.clone()),
        agenda: changes.agenda.clone().unwrap_or(current.agenda.clone()),
        starts_at: changes.starts_at.unwrap_or(current.starts_at),
        ends_at: changes.ends_at.unwrap_or(current.ends_at),
        time_zone: changes
            .time_zone
            .clone()
            .unwrap_or(current.time_zone.clone()),
        place: changes.place.clone().unwrap_or(current.place.clone()),
        online_url: changes
            .online_url
            .clone()
            .unwrap_or(current.online_url.clone()),
        capacity: changes.capacity.unwrap_or(current.capacity),
        quality_scope: changes.quality_scope.unwrap_or(current.quality_scope),
    };
    check_meeting(&mut merged)?;
    let checked = MeetingChanges {
        title: changes.title.map(|_| merged.title.clone()),
        agenda: changes.agenda.map(|_| merged.agenda.clone()),
        starts_at: changes.starts_at,
        ends_at: changes.ends_at,
        time_zone: changes.time_zone.map(|_| merged.time_zone.clone()),
        place: changes.place.map(|_| merged.place.clone()),
        online_url: changes.online_url.map(|_| merged.online_url.clone()),
        capacity: changes.capacity,
        quality_scope: changes.quality_scope,
    };
    let moved = [
        (merged.starts_at, current.starts_at),
        (merged.ends_at, current.ends_at),
    ]
    .iter()
    .any(|(a, b)| a != b)
        || merged.place != current.place
        || merged.online_url != current.online_url;
    let meeting = store::update_meeting(tx, &before, checked).await?;
    if moved {
        tx.emit([Event::MeetingMoved(meeting_id)]).await?;
    }
    let rsvps = store::rsvps_of_meetings(tx.conn(), &[meeting_id]).await?;
    Ok(view(meeting, &seen, principal, &rsvps))
}

/// Cancels a planned meeting with a reason; its RSVPs are kept.
pub async fn cancel_meeting(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    reason: &str,
) -> Result<MeetingView> {
    let (_, seen) = seen_meeting(tx.conn(), principal, meeting_id).await?;
    require_run(
        &seen,
        "only the club's animators and administrators cancel its meetings",
    )?;
    let reason = reason_of(reason, "reason")?;
    let before = store::lock_meeting(tx, meeting_id)
        .await?
        .ok_or(ClubsError::MeetingNotFound)?;
    match before.status {
        MeetingStatus::Cancelled => return Err(ClubsError::MeetingCancelled),
        MeetingStatus::Held => return Err(ClubsError::MeetingHeld),
        MeetingStatus::Planned => {}
    }
    let meeting =
        store::set_meeting_status(tx, &before, MeetingStatus::Cancelled, Some(reason)).await?;
    tx.emit([Event::MeetingCancelled(meeting_id)]).await?;
    let rsvps = store::rsvps_of_meetings(tx.conn(), &[meeting_id]).await?;
    Ok(view(meeting, &seen, principal, &rsvps))
}

/// One meeting, for whoever may see the club's meetings.
pub async fn get_meeting(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<MeetingView> {
    let (meeting, seen) = seen_meeting(db, principal, meeting_id).await?;
    let rsvps = store::rsvps_of_meetings(db, &[meeting_id]).await?;
    Ok(view(meeting, &seen, principal, &rsvps))
}

/// A page of a club's meetings (creation order), optionally those starting in `[from, to)`.
pub async fn list_meetings(
    db: &impl ConnectionTrait,
    principal: &Principal,
    club_id: Uuid,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    page: &PageRequest,
) -> Result<Page<MeetingView>> {
    let seen = seen_club(db, principal, club_id).await?;
    if !policy::may_see_meetings(seen.access, &seen.club) {
        return Err(ClubsError::ClubNotFound);
    }
    let meetings = store::meetings_of_club(db, club_id, from, to, page).await?;
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let rsvps = store::rsvps_of_meetings(db, &ids).await?;
    let mut by_meeting: HashMap<Uuid, Vec<Rsvp>> = HashMap::new();
    for r in rsvps {
        by_meeting.entry(r.meeting_id).or_default().push(r);
    }
    let views = meetings
        .into_iter()
        .map(|m| {
            let rsvps = by_meeting.remove(&m.id).unwrap_or_default();
            view(m, &seen, principal, &rsvps)
        })
        .collect();
    Ok(page.finish(views, |v: &MeetingView| v.meeting.id))
}

/// The answers to a meeting, counted.
pub fn counts(rsvps: &[Rsvp]) -> RsvpCounts {
    let mut counts = RsvpCounts::default();
    for r in rsvps {
        match r.answer {
            RsvpAnswer::Yes => counts.yes += 1,
            RsvpAnswer::No => counts.no += 1,
            RsvpAnswer::Maybe => counts.maybe += 1,
        }
    }
    counts
}

/// A meeting as this caller sees it: the link for members, counts for all, their own answer.
fn view(meeting: Meeting, seen: &Seen, principal: &Principal, rsvps: &[Rsvp]) -> MeetingView {
    MeetingView {
        link_visible: policy::may_see_member_content(seen.access),
        counts: counts(rsvps),
        mine: rsvps
            .iter()
            .find(|r| r.person_id == principal.person_id)
            .map(|r| r.answer),
        meeting,
    }
}
