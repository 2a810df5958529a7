//! A club as the API shows it: its trade, who may join, who sees its meetings, its animators.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::MembershipView;
use crate::clubs::model::{self, ClubSummary, PersonRef};
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
