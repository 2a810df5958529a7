//! The clubs domain: clubs, memberships, meetings, RSVPs, minutes, resources and activity.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use entity::status::{
    CalendarVisibility, ClubRole, ClubStatus, ClubTrade, MeetingStatus, MembershipPolicy,
    MembershipStatus, ResourceKind, RsvpAnswer,
};

/// Namespace of membership and RSVP ids: the UUIDv5 of (club or meeting, person).
pub const CLUB_NAMESPACE: Uuid = Uuid::from_u128(0x0193_7a00_0000_5000_8000_0000_0000_c1b5);

/// The id of the one row of `person_id` in `parent_id` (a membership of a club, an RSVP to a
/// meeting).
pub fn pair_id(parent_id: Uuid, person_id: Uuid) -> Uuid {
    let mut name = [0u8; 32];
    name[..16].copy_from_slice(parent_id.as_bytes());
    name[16..].copy_from_slice(person_id.as_bytes());
    Uuid::new_v5(&CLUB_NAMESPACE, &name)
}

/// A club.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Club {
    pub id: Uuid,
    pub name: String,
    pub trade: ClubTrade,
    pub description: String,
    pub membership_policy: MembershipPolicy,
    pub calendar_visibility: CalendarVisibility,
    pub status: ClubStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A club as a list shows it: with its animators, how many active members it has and the
/// caller's own membership.
#[derive(Debug, Clone)]
pub struct ClubSummary {
    pub club: Club,
    pub animators: Vec<PersonRef>,
    pub member_count: u64,
    pub mine: Option<Membership>,
}

/// A person as clubs show them to their members: a name and an organisation, no e-mail.
pub type PersonRef = crate::accounts::model::PersonCard;

/// What creating a club says.
#[derive(Debug, Clone)]
pub struct NewClub {
    pub name: String,
    pub trade: ClubTrade,
    pub description: String,
    pub membership_policy: MembershipPolicy,
    pub calendar_visibility: CalendarVisibility,
    pub animator_ids: Vec<Uuid>,
}

/// What changing a club says (absent fields are unchanged).
#[derive(Debug, Clone, Default)]
pub struct ClubChanges {
    pub name: Option<String>,
    pub trade: Option<ClubTrade>,
    pub description: Option<String>,
    pub membership_policy: Option<MembershipPolicy>,
    pub calendar_visibility: Option<CalendarVisibility>,
    pub status: Option<ClubStatus>,
}

/// A person's membership of a club.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub id: Uuid,
    pub club_id: Uuid,
    pub person_id: Uuid,
    pub role: ClubRole,
    pub status: MembershipStatus,
    pub message: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl Membership {
    /// An active member or animator.
    pub fn is_active(&self) -> bool {
        self.status == MembershipStatus::Active
    }

    /// An active animator.
    pub fn is_animator(&self) -> bool {
        self.is_active() && self.role == ClubRole::Animator
    }
}

/// A membership with the person it is about.
#[derive(Debug, Clone)]
pub struct Member {
    pub membership: Membership,
    pub person: PersonRef,
}

/// A club meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: Uuid,
    pub club_id: Uuid,
    pub title: String,
    pub agenda: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub capacity: Option<i32>,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
    pub quality_scope: bool,
    pub sequence: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What planning a meeting says.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub title: String,
    pub agenda: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub capacity: Option<i32>,
    pub quality_scope: bool,
}

/// What changing a meeting says (absent fields are unchanged; `Some(None)` clears).
#[derive(Debug, Clone, Default)]
pub struct MeetingChanges {
    pub title: Option<String>,
    pub agenda: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub place: Option<Option<String>>,
    pub online_url: Option<Option<String>>,
    pub capacity: Option<Option<i32>>,
    pub quality_scope: Option<bool>,
}

/// How many members answered what.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RsvpCounts {
    pub yes: u32,
    pub no: u32,
    pub maybe: u32,
}

/// A meeting as one caller sees it: the online link only for members, counts for everyone who
/// sees the meeting, the caller's own answer.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub link_visible: bool,
    pub counts: RsvpCounts,
    pub mine: Option<RsvpAnswer>,
}

/// One member's RSVP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rsvp {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub person_id: Uuid,
    pub answer: RsvpAnswer,
    pub updated_at: DateTime<Utc>,
}

/// One version of a meeting's minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    pub meeting_id: Uuid,
    pub number: i32,
    pub body: String,
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A meeting resource: a link or a stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub kind: ResourceKind,
    pub title: String,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// One club's activity over a year.
#[derive(Debug, Clone, PartialEq)]
pub struct ClubActivity {
    pub club_id: Uuid,
    pub name: String,
    pub trade: ClubTrade,
    pub meetings_planned: u32,
    pub meetings_held: u32,
    pub meetings_cancelled: u32,
    /// Present or late marks at held meetings.
    pub attendances: u32,
    pub distinct_attendees: u32,
    pub active_members: u32,
    pub joined_in_year: u32,
}

impl ClubActivity {
    /// Attendances per held meeting (0 when none was held), to one decimal.
    pub fn average_attendance(&self) -> f64 {
        if self.meetings_held == 0 {
            return 0.0;
        }
        (f64::from(self.attendances) / f64::from(self.meetings_held) * 10.0).round() / 10.0
    }
}
