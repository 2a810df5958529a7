//! From club meetings to feed events: what each meeting says (never its online link in a public
//! feed), and which ones a feed keeps — upcoming, the last 30 days, cancelled ones for 30 days
//! after their cancellation, as for sessions.

use chrono::{DateTime, Utc};

use super::events::{CANCELLED_KEPT, PAST_KEPT, Site};
use super::feed::{EventStatus, FeedEvent};
use crate::clubs::model::{Club, Meeting, MeetingStatus};

/// Who reads the feed: anyone (a public club feed) or a member (their personal feed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Public,
    Member,
}

/// When a meeting leaves feeds.
fn leaves_at(meeting: &Meeting) -> DateTime<Utc> {
    match meeting.status {
        MeetingStatus::Cancelled => meeting.updated_at + CANCELLED_KEPT,
        _ => meeting.ends_at + PAST_KEPT,
    }
}

/// When what a meeting's event shows last changed.
fn last_changed(meeting: &Meeting, club: &Club) -> DateTime<Utc> {
    meeting.updated_at.max(club.updated_at)
}

/// The event of one meeting.
pub fn meeting_event(meeting: &Meeting, club: &Club, reader: Reader, site: &Site) -> FeedEvent {
    let cancelled = meeting.status == MeetingStatus::Cancelled;
    let title = format!("Club {} – {}", club.name, meeting.title);
    let summary = if cancelled {
        format!("ANNULÉ – {title}")
    } else {
        title
    };
    let location = match (&meeting.place, &meeting.online_url) {
        (Some(place), _) => place.clone(),
        (None, Some(_)) => "En ligne".to_owned(),
        (None, None) => String::new(),
    };
    let page = format!("{}/api/v1/meetings/{}", site.public_url, meeting.id);
    let mut lines = vec![format!(
        "Réunion du club métier « {} » – Passerelle.",
        club.name
    )];
    if !meeting.agenda.is_empty() {
        lines.push(format!("Ordre du jour :\n{}", meeting.agenda));
    }
    if let Some(link) = &meeting.online_url {
        lines.push(match reader {
            Reader::Member => format!("En ligne : {link}"),
            Reader::Public => "En ligne : le lien est réservé aux membres du club.".to_owned(),
        });
    }
    if cancelled {
        lines.push(format!(
            "Réunion annulée{}",
            meeting
                .cancel_reason
                .as_deref()
                .map(|r| format!(" : {r}"))
                .unwrap_or_default()
        ));
    }
    lines.push(format!("Détails : {page}"));
    FeedEvent {
        uid: format!("meeting-{}@{}", meeting.id, site.host),
        created: meeting.created_at,
        last_modified: last_changed(meeting, club),
        sequence: meeting.sequence,
        status: if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        },
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        summary,
        location,
        description: lines.join("\n"),
        url: Some(page),
    }
}

/// What a feed shows of `meetings` at `now`: their events still in the window, the latest
/// change of any (or the moment one left), and the next moment one leaves.
pub fn window(
    meetings: &[(Meeting, Club)],
    reader: Reader,
    site: &Site,
    now: DateTime<Utc>,
) -> (Vec<FeedEvent>, DateTime<Utc>, Option<DateTime<Utc>>) {
    let mut events = Vec::new();
    let mut last_modified = DateTime::<Utc>::UNIX_EPOCH;
    let mut fresh_until: Option<DateTime<Utc>> = None;
    for (meeting, club) in meetings {
        last_modified = last_modified.max(last_changed(meeting, club));
        let leaves = leaves_at(meeting);
        if leaves <= now {
            last_modified = last_modified.max(leaves);
        } else {
            fresh_until = Some(fresh_until.map_or(leaves, |f| f.min(leaves)));
            events.push(meeting_event(meeting, club, reader, site));
        }
    }
    (events, last_modified, fresh_until)
}
