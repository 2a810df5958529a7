//! Memberships as the API shows them: a person's part in a club and where it stands.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::PersonView;
use crate::clubs::model::{self, Member, Membership};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

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
