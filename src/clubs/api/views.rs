//! The API's club types and their conversions from the domain.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::attendance::api::{MarkStatusView, RecordedAsView};
use crate::attendance::model::Mark;
use crate::clubs::model::{
    self, ClubActivity, ClubSummary, MeetingView as Seen, Member, Membership, Minutes, PersonRef,
    Resource, Rsvp, RsvpCounts,
};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// The trade a club gathers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ClubTrade",
    rename_all = "snake_case",
    remote = "model::ClubTrade"
)]
pub enum TradeView {
    /// Financial management.
    FinancialManagement,
    /// Access to funding.
    AccessToFunding,
    /// Communication.
    Communication,
    /// Human resources.
    HumanResources,
    /// Leaders: directors and board members.
    Leaders,
    /// Any other trade.
    Other,
}

/// Who may join a club.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "MembershipPolicy",
    rename_all = "snake_case",
    remote = "model::MembershipPolicy"
)]
pub enum PolicyView {
    /// People of the federation's member organisations join at once.
    FederationMembers,
    /// Anyone with an account joins at once.
    Open,
    /// Anyone may ask; an animator approves or declines.
    OnRequest,
}

/// Who sees a club's meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "CalendarVisibility",
    rename_all = "snake_case",
    remote = "model::CalendarVisibility"
)]
pub enum VisibilityView {
    /// Anyone logged in, and a public iCalendar feed; never the online links nor names.
    Public,
    /// Its members and animators only.
    Members,
}

/// A club's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ClubStatus",
    rename_all = "snake_case",
    remote = "model::ClubStatus"
)]
pub enum ClubStatusView {
    /// Running.
    Active,
    /// Kept for its history; no new members nor meetings.
    Archived,
}

/// A person's part in a club.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ClubRole",
    rename_all = "snake_case",
    remote = "model::ClubRole"
)]
pub enum ClubRoleView {
    /// A member.
    Member,
    /// Runs the club.
    Animator,
}

/// Where a membership stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "MembershipStatus",
    rename_all = "snake_case",
    remote = "model::MembershipStatus"
)]
pub enum MembershipStatusView {
    /// Waiting for an animator's decision.
    Pending,
    /// A member (or animator).
    Active,
    /// The request was declined (`reason` says why).
    Declined,
    /// The person left.
    Left,
    /// An animator or administrator removed them (`reason` says why).
    Removed,
}

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

/// What a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ResourceKind",
    rename_all = "snake_case",
    remote = "model::ResourceKind"
)]
pub enum ResourceKindView {
    /// A link (`url`).
    Link,
    /// A stored file (`file_name`, `content_type`, `size_bytes`, `sha256`).
    File,
}

/// A person as a club shows them: names and organisation, never an e-mail.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ClubPerson")]
pub struct PersonView {
    /// The person.
    pub id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Their organisation's name, if any.
    pub organisation: Nullable<String>,
}

impl From<PersonRef> for PersonView {
    fn from(p: PersonRef) -> Self {
        Self {
            id: p.id,
            first_name: p.first_name,
            last_name: p.last_name,
            organisation: Nullable(p.organisation),
        }
    }
}

/// A person's membership of a club.
///
/// - `role`: Member or animator.
/// - `status`: Where it stands.
#[derive(Debug, Object)]
pub struct MembershipView {
    /// The membership's id: the UUIDv5 of (club, person).
    pub id: Uuid,
    /// The club.
    pub club_id: Uuid,
    /// The person.
    pub person_id: Uuid,
    pub role: ClubRoleView,
    pub status: MembershipStatusView,
    /// What the person wrote when asking to join.
    pub message: Nullable<String>,
    /// When they joined or asked to (UTC).
    pub requested_at: Timestamp,
    /// When an animator (or the person, leaving) last decided (UTC).
    pub decided_at: Nullable<Timestamp>,
    /// Who decided.
    pub decided_by: Nullable<Uuid>,
    /// Why a request was declined or a member removed.
    pub reason: Nullable<String>,
}

impl From<Membership> for MembershipView {
    fn from(m: Membership) -> Self {
        Self {
            id: m.id,
            club_id: m.club_id,
            person_id: m.person_id,
            role: m.role.into(),
            status: m.status.into(),
            message: Nullable(m.message),
            requested_at: m.requested_at.into(),
            decided_at: Nullable(m.decided_at.map(Into::into)),
            decided_by: Nullable(m.decided_by),
            reason: Nullable(m.reason),
        }
    }
}

/// A club.
///
/// - `trade`: The trade it gathers.
/// - `membership_policy`: Who may join.
/// - `calendar_visibility`: Who sees its meetings.
/// - `status`: Active or archived.
/// - `my_membership`: The caller's own membership, if any (`null` otherwise).
#[derive(Debug, Object)]
pub struct ClubView {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
    pub trade: TradeView,
    /// What the club is for (plain text).
    pub description: String,
    pub membership_policy: PolicyView,
    pub calendar_visibility: VisibilityView,
    pub status: ClubStatusView,
    /// Its animators.
    pub animators: Vec<PersonView>,
    /// Active members, animators included.
    pub member_count: u64,
    #[oai(skip_serializing_if_is_none)]
    pub my_membership: Option<MembershipView>,
    /// Its public iCalendar feed (`null` unless its calendar is public and it is active).
    pub calendar_url: Nullable<String>,
    /// When it was created (UTC).
    pub created_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl ClubView {
    pub fn of(s: ClubSummary, public_url: &str) -> Self {
        let public = s.club.status == model::ClubStatus::Active
            && s.club.calendar_visibility == model::CalendarVisibility::Public;
        Self {
            calendar_url: Nullable(public.then(|| {
                format!(
                    "{}/calendar/clubs/{}.ics",
                    public_url.trim_end_matches('/'),
                    s.club.id
                )
            })),
            id: s.club.id,
            name: s.club.name,
            trade: s.club.trade.into(),
            description: s.club.description,
            membership_policy: s.club.membership_policy.into(),
            calendar_visibility: s.club.calendar_visibility.into(),
            status: s.club.status.into(),
            animators: s.animators.into_iter().map(Into::into).collect(),
            member_count: s.member_count,
            my_membership: s.mine.map(Into::into),
            created_at: s.club.created_at.into(),
            updated_at: s.club.updated_at.into(),
        }
    }
}

/// A club's member (or a request to join, for animators).
///
/// - `person`: Who.
/// - `membership`: Their membership.
#[derive(Debug, Object)]
pub struct MemberView {
    pub person: PersonView,
    pub membership: MembershipView,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        Self {
            person: m.person.into(),
            membership: m.membership.into(),
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

/// A member's attendance at a meeting (the attendance context's mark).
///
/// - `status`: What was recorded.
/// - `recorded_as`: In which capacity `recorded_by` recorded it (`trainer` for an animator).
#[derive(Debug, Object)]
pub struct MeetingMarkView {
    /// The mark's id: the UUIDv5 of (meeting, person), the same on every device.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// The club.
    pub club_id: Uuid,
    /// The member.
    pub person_id: Uuid,
    pub status: MarkStatusView,
    /// Minutes missed at the start, for `late`.
    pub late_minutes: Nullable<i32>,
    /// SHA-256 of the signature image, if they signed (optional at clubs).
    pub signature_sha256: Nullable<String>,
    /// When they signed (UTC).
    pub signed_at: Nullable<Timestamp>,
    /// Who recorded it.
    pub recorded_by: Uuid,
    pub recorded_as: RecordedAsView,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl From<Mark> for MeetingMarkView {
    fn from(m: Mark) -> Self {
        Self {
            id: m.id,
            meeting_id: m.slot_id,
            club_id: m.session_id,
            person_id: m.person_id,
            status: m.status.into(),
            late_minutes: Nullable(m.late_minutes),
            signature_sha256: Nullable(m.signature_sha256),
            signed_at: Nullable(m.signed_at.map(Into::into)),
            recorded_by: m.recorded_by,
            recorded_as: m.recorded_as.into(),
            updated_at: m.updated_at.into(),
        }
    }
}

/// One version of a meeting's minutes.
#[derive(Debug, Object)]
pub struct MinutesVersionView {
    /// 1 for the first version, then 2, 3…
    pub number: i32,
    /// The text (Markdown).
    pub body: String,
    /// Who wrote this version.
    pub author_id: Uuid,
    /// When (UTC).
    pub created_at: Timestamp,
}

impl From<Minutes> for MinutesVersionView {
    fn from(m: Minutes) -> Self {
        Self {
            number: m.number,
            body: m.body,
            author_id: m.author_id,
            created_at: m.created_at.into(),
        }
    }
}

/// A meeting's minutes: the current version and every earlier one.
///
/// - `current`: The latest version.
#[derive(Debug, Object)]
pub struct MinutesView {
    /// The meeting.
    pub meeting_id: Uuid,
    pub current: MinutesVersionView,
    /// Every version, first first (the current one last).
    pub versions: Vec<MinutesVersionView>,
}

/// A meeting resource.
///
/// - `kind`: A link or a stored file.
#[derive(Debug, Object)]
pub struct ResourceView {
    /// Identifier.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    pub kind: ResourceKindView,
    /// Title.
    pub title: String,
    /// The link, for a link.
    pub url: Nullable<String>,
    /// The file's name, for a file.
    pub file_name: Nullable<String>,
    /// The file's type, recognised from its content.
    pub content_type: Nullable<String>,
    /// The file's size in bytes.
    pub size_bytes: Nullable<i64>,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: Nullable<String>,
    /// Where to download the file (`null` for a link).
    pub download_path: Nullable<String>,
    /// Who posted it.
    pub created_by: Uuid,
    /// When (UTC).
    pub created_at: Timestamp,
}

impl From<Resource> for ResourceView {
    fn from(r: Resource) -> Self {
        let download = (r.kind == model::ResourceKind::File)
            .then(|| format!("/api/v1/meetings/{}/resources/{}/file", r.meeting_id, r.id));
        Self {
            id: r.id,
            meeting_id: r.meeting_id,
            kind: r.kind.into(),
            title: r.title,
            url: Nullable(r.url),
            file_name: Nullable(r.file_name),
            content_type: Nullable(r.content_type),
            size_bytes: Nullable(r.size_bytes),
            sha256: Nullable(r.sha256),
            download_path: Nullable(download),
            created_by: r.created_by,
            created_at: r.created_at.into(),
        }
    }
}

/// One club's activity over a year.
///
/// - `trade`: The club's trade.
#[derive(Debug, Object)]
pub struct ClubActivityView {
    /// The club.
    pub club_id: Uuid,
    /// Its name.
    pub name: String,
    pub trade: TradeView,
    /// Meetings of the year still planned.
    pub meetings_planned: u32,
    /// Meetings of the year that took place.
    pub meetings_held: u32,
    /// Meetings of the year that were cancelled.
    pub meetings_cancelled: u32,
    /// Present or late marks at the year's held meetings.
    pub attendances: u32,
    /// Attendances per held meeting, to one decimal (0 when none was held).
    pub average_attendance: f64,
    /// Different people who came.
    pub distinct_attendees: u32,
    /// Active members now (animators included).
    pub active_members: u32,
    /// Members who joined during the year (and still are).
    pub joined_in_year: u32,
}

impl From<ClubActivity> for ClubActivityView {
    fn from(a: ClubActivity) -> Self {
        Self {
            average_attendance: a.average_attendance(),
            club_id: a.club_id,
            name: a.name,
            trade: a.trade.into(),
            meetings_planned: a.meetings_planned,
            meetings_held: a.meetings_held,
            meetings_cancelled: a.meetings_cancelled,
            attendances: a.attendances,
            distinct_attendees: a.distinct_attendees,
            active_members: a.active_members,
            joined_in_year: a.joined_in_year,
        }
    }
}

/// One trade's activity over a year: the sum of its clubs.
///
/// - `trade`: The trade.
#[derive(Debug, Object)]
pub struct TradeActivityView {
    pub trade: TradeView,
    /// Its clubs.
    pub clubs: u32,
    /// Meetings held.
    pub meetings_held: u32,
    /// Present or late marks at held meetings.
    pub attendances: u32,
    /// Attendances per held meeting, to one decimal.
    pub average_attendance: f64,
    /// Active members now (a person in two clubs counts twice).
    pub active_members: u32,
}

/// The clubs' activity over a year (administrators).
#[derive(Debug, Object)]
pub struct ActivityReportView {
    /// The year.
    pub year: i32,
    /// Each club, in creation order.
    pub clubs: Vec<ClubActivityView>,
    /// Each trade that has clubs.
    pub by_trade: Vec<TradeActivityView>,
}

impl ActivityReportView {
    pub fn of(year: i32, clubs: Vec<ClubActivity>) -> Self {
        let mut by_trade: Vec<TradeActivityView> = Vec::new();
        for c in &clubs {
            let trade: TradeView = c.trade.into();
            if !by_trade.iter().any(|t| t.trade == trade) {
                by_trade.push(TradeActivityView {
                    trade,
                    clubs: 0,
                    meetings_held: 0,
                    attendances: 0,
                    average_attendance: 0.0,
                    active_members: 0,
                });
            }
            for row in by_trade.iter_mut().filter(|t| t.trade == trade) {
                row.clubs += 1;
                row.meetings_held += c.meetings_held;
                row.attendances += c.attendances;
                row.active_members += c.active_members;
            }
        }
        for t in &mut by_trade {
            if t.meetings_held > 0 {
                t.average_attendance =
                    (f64::from(t.attendances) / f64::from(t.meetings_held) * 10.0).round() / 10.0;
            }
        }
        Self {
            year,
            clubs: clubs.into_iter().map(Into::into).collect(),
            by_trade,
        }
    }
}
