//! Meetings and their answers (RSVPs) as the API shows them.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::PersonView;
use crate::clubs::model::{self, MeetingView as Seen, Rsvp, RsvpCounts};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// A meeting's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "MeetingStatus",
    rename_all = "snake_case",
    remote = "model::MeetingStatus"
)]
pub enum MeetingStatusView {
    /// Planned.
    Planned,
    /// Cancelled (`cancel_reason` says why); its RSVPs are kept.
    Cancelled,
    /// It took place: someone was recorded present.
    Held,
}

/// An answer to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "RsvpAnswer",
    rename_all = "snake_case",
    remote = "model::RsvpAnswer"
)]
pub enum RsvpAnswerView {
    /// Coming.
    Yes,
    /// Not coming.
    No,
    /// Perhaps.
    Maybe,
}

/// The caller's own answer to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "MyRsvp", rename_all = "snake_case")]
pub enum MyRsvpView {
    /// Not answered (or not a member).
    None,
    /// Coming.
    Yes,
    /// Not coming.
    No,
    /// Perhaps.
    Maybe,
}

impl From<Option<model::RsvpAnswer>> for MyRsvpView {
    fn from(answer: Option<model::RsvpAnswer>) -> Self {
        match answer {
            None => Self::None,
            Some(model::RsvpAnswer::Yes) => Self::Yes,
            Some(model::RsvpAnswer::No) => Self::No,
            Some(model::RsvpAnswer::Maybe) => Self::Maybe,
        }
    }
}

/// How many members answered what (counts only: names are for animators).
#[derive(Debug, Object)]
pub struct RsvpCountsView {
    /// Coming.
    pub yes: u32,
    /// Not coming.
    pub no: u32,
    /// Perhaps.
    pub maybe: u32,
}

impl From<RsvpCounts> for RsvpCountsView {
    fn from(c: RsvpCounts) -> Self {
        Self {
            yes: c.yes,
            no: c.no,
            maybe: c.maybe,
        }
    }
}

/// A club meeting.
///
/// - `status`: Planned, cancelled (with `cancel_reason`) or held.
/// - `rsvp_counts`: How many members answered what.
/// - `my_rsvp`: The caller's own answer.
#[derive(Debug, Object)]
pub struct MeetingView {
    /// Identifier.
    pub id: Uuid,
    /// The club.
    pub club_id: Uuid,
    /// Title.
    pub title: String,
    /// Agenda (Markdown).
    pub agenda: String,
    /// Start (UTC).
    pub starts_at: Timestamp,
    /// End (UTC).
    pub ends_at: Timestamp,
    /// IANA time zone of its local hours.
    pub time_zone: String,
    /// Where it happens, if in a place.
    pub place: Nullable<String>,
    /// Whether it happens online.
    pub online: bool,
    /// The online link: members and animators only (`null` for others, or when not online).
    pub online_url: Nullable<String>,
    /// Places, if limited ("yes" answers are refused once reached).
    pub capacity: Nullable<i32>,
    pub status: MeetingStatusView,
    /// Why it was cancelled.
    pub cancel_reason: Nullable<String>,
    /// Counted in the Qualiopi evidence and the BPF (decided by an administrator; `false` by
    /// default: clubs are outside that scope).
    pub quality_scope: bool,
    pub rsvp_counts: RsvpCountsView,
    pub my_rsvp: MyRsvpView,
    /// When it was planned (UTC).
    pub created_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl From<Seen> for MeetingView {
    fn from(v: Seen) -> Self {
        let m = v.meeting;
        Self {
            id: m.id,
            club_id: m.club_id,
            title: m.title,
            agenda: m.agenda,
            starts_at: m.starts_at.into(),
            ends_at: m.ends_at.into(),
            time_zone: m.time_zone,
            place: Nullable(m.place),
            online: m.online_url.is_some(),
            online_url: Nullable(m.online_url.filter(|_| v.link_visible)),
            capacity: Nullable(m.capacity),
            status: m.status.into(),
            cancel_reason: Nullable(m.cancel_reason),
            quality_scope: m.quality_scope,
            rsvp_counts: v.counts.into(),
            my_rsvp: v.mine.into(),
            created_at: m.created_at.into(),
            updated_at: m.updated_at.into(),
        }
    }
}

/// One member's answer.
///
/// - `answer`: What they answered.
#[derive(Debug, Object)]
pub struct RsvpView {
    /// The answer's id: the UUIDv5 of (meeting, person).
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// Who answered.
    pub person_id: Uuid,
    pub answer: RsvpAnswerView,
    /// When they last answered (UTC).
    pub updated_at: Timestamp,
}

impl From<Rsvp> for RsvpView {
    fn from(r: Rsvp) -> Self {
        Self {
            id: r.id,
            meeting_id: r.meeting_id,
            person_id: r.person_id,
            answer: r.answer.into(),
            updated_at: r.updated_at.into(),
        }
    }
}

/// An answer with the person who gave it.
///
/// - `person`: Who.
/// - `rsvp`: Their answer.
#[derive(Debug, Object)]
pub struct NamedRsvpView {
    pub person: PersonView,
    pub rsvp: RsvpView,
}

/// Who answered what (animators).
///
/// - `counts`: How many answered what.
#[derive(Debug, Object)]
pub struct RsvpListView {
    pub counts: RsvpCountsView,
    /// Every answer with its person, oldest first.
    pub items: Vec<NamedRsvpView>,
}
