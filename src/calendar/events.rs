//! From sessions to feed events: what each half-day says, which events a feed keeps (upcoming,
//! recent, cancelled for 30 days) and the dates that keep a feed's `Last-Modified` monotonic.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::feed::{EventStatus, FeedEvent};
use crate::catalogue::model::{Session, SessionStatus, half_day_name};

/// A cancelled session stays in feeds this long after it was cancelled, flagged.
pub const CANCELLED_KEPT: Duration = Duration::days(30);
/// A session stays in feeds this long after its last half-day.
pub const PAST_KEPT: Duration = Duration::days(30);

/// How a person relates to a session in their personal feed (public feeds: `Public`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Public,
    Trainee,
    Waitlisted,
    Trainer,
}

/// Where feeds live, to build UIDs and links.
#[derive(Debug, Clone)]
pub struct Site {
    /// `https://host` (no trailing slash).
    pub public_url: String,
    /// The host, for UIDs.
    pub host: String,
}

impl Site {
    pub fn new(public_url: &str) -> Self {
        let public_url = public_url.trim_end_matches('/').to_owned();
        let host = public_url
            .split("://")
            .nth(1)
            .unwrap_or(&public_url)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        Self { public_url, host }
    }
}

/// When the session leaves feeds (`None`: it stays while upcoming).
pub fn leaves_at(session: &Session) -> Option<DateTime<Utc>> {
    leaves(session.status, session.updated_at, session.ends_at)
}

/// When a session of this status, last changed at `updated_at` (its cancellation) and ending at
/// `ends_at`, leaves feeds.
pub fn leaves(
    status: SessionStatus,
    updated_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match status {
        SessionStatus::Cancelled => Some(updated_at + CANCELLED_KEPT),
        SessionStatus::Draft => Some(DateTime::<Utc>::MIN_UTC),
        _ => ends_at.map(|end| end + PAST_KEPT),
    }
}

/// When what the session's events show last changed.
pub fn last_changed(session: &Session) -> DateTime<Utc> {
    session
        .updated_at
        .max(session.training.updated_at)
        .max(session.room.updated_at)
}

/// Where a room is, in one line: "En ligne", or its name and address.
pub fn place_of(room: &crate::catalogue::model::Room) -> String {
    if room.is_online {
        return "En ligne".to_owned();
    }
    [
        Some(room.name.as_str()),
        room.address.as_deref(),
        room.city.as_deref(),
        room.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// The events of a session's half-days.
pub fn session_events(session: &Session, role: Role, site: &Site) -> Vec<FeedEvent> {
    let cancelled = session.status == SessionStatus::Cancelled;
    let title = &session.training.programme.title;
    let summary = if cancelled {
        format!("ANNULÉ – {title}")
    } else {
        title.clone()
    };
    let room = &session.room;
    let location = place_of(room);
    let page = format!(
        "{}/api/v1/catalogue/sessions/{}",
        site.public_url, session.id
    );
    let status = match (cancelled, role) {
        (true, _) => EventStatus::Cancelled,
        (false, Role::Waitlisted) => EventStatus::Tentative,
        (false, _) => EventStatus::Confirmed,
    };
    session
        .slots
        .iter()
        .map(|slot| {
            let half = half_day_name(slot.period);
            let mut lines = vec![
                format!("Formation « {title} » – session de Passerelle."),
                format!(
                    "Demi-journée du {} ({half}), {}–{} heure de {}.",
                    slot.date.format("%d/%m/%Y"),
                    slot.local_start,
                    slot.local_end,
                    session.time_zone
                ),
            ];
            lines.push(match role {
                Role::Trainer => "Vous animez cette demi-journée.".to_owned(),
                Role::Trainee => "Vous êtes inscrit·e.".to_owned(),
                Role::Waitlisted => "Vous êtes sur la liste d'attente.".to_owned(),
                Role::Public => "Inscription sur Passerelle.".to_owned(),
            });
            let private = matches!(role, Role::Trainee | Role::Trainer);
            lines.push(match (room.is_online, &room.join_url) {
                (true, Some(link)) if private => format!("En ligne : {link}"),
                (true, _) => {
                    "En ligne : le lien est envoyé aux inscrits avec la convocation.".to_owned()
                }
                (false, _) => format!("Lieu : {location}."),
            });
            if cancelled {
                lines.push(format!(
                    "Session annulée{}",
                    session
                        .cancel_reason
                        .as_deref()
                        .map(|r| format!(" : {r}"))
                        .unwrap_or_default()
                ));
            }
            lines.push(format!("Détails : {page}"));
            FeedEvent {
                uid: format!("slot-{}@{}", slot.id, site.host),
                created: session.created_at,
                last_modified: last_changed(session),
                sequence: slot.sequence,
                status,
                starts_at: slot.starts_at,
                ends_at: slot.ends_at,
                summary: summary.clone(),
                location: location.clone(),
                description: lines.join("\n"),
                url: Some(page.clone()),
            }
        })
        .collect()
}

/// What a feed shows of `sessions` at `now`: the events of the sessions still in their window,
/// sorted; the feed's `Last-Modified` (the last change of any session it ever showed, or the
/// moment one left it — so it never goes backwards); and until when this holds without a write
/// (the next moment a session leaves).
pub fn window(
    sessions: &[(Session, Role)],
    site: &Site,
    now: DateTime<Utc>,
    extra_changes: impl IntoIterator<Item = DateTime<Utc>>,
) -> (Vec<FeedEvent>, DateTime<Utc>, Option<DateTime<Utc>>) {
    let mut events = Vec::new();
    let mut last_modified = extra_changes
        .into_iter()
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut fresh_until: Option<DateTime<Utc>> = None;
    for (session, role) in sessions {
        last_modified = last_modified.max(last_changed(session));
        match leaves_at(session) {
            Some(leaves) if leaves <= now => last_modified = last_modified.max(leaves),
            leaves => {
                if let Some(leaves) = leaves {
                    fresh_until = Some(fresh_until.map_or(leaves, |f| f.min(leaves)));
                }
                events.extend(session_events(session, *role, site));
            }
        }
    }
    events.sort_by(|a, b| (a.starts_at, &a.uid).cmp(&(b.starts_at, &b.uid)));
    events.dedup_by(|a, b| a.uid == b.uid);
    (events, last_modified, fresh_until)
}

/// The `Uuid` of a feed file name `<uuid>.ics`.
pub fn id_of_file(file: &str) -> Option<Uuid> {
    file.strip_suffix(".ics")?.parse().ok()
}
