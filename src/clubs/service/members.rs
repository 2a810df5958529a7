//! Joining, asking, approving, declining, leaving and removing; the members list.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result, reason_of, require_active, require_run, seen_club};
use crate::accounts::service as accounts;
use crate::clubs::model::{ClubRole, Member, Membership, MembershipPolicy, MembershipStatus};
use crate::clubs::policy;
use crate::clubs::store::{self, MembershipRow, MembershipState};
use crate::db::outbox::Event;
use crate::db::write::WriteTx;
use crate::principal::Principal;

/// What a join did: the membership, and whether it changed anything.
#[derive(Debug, Clone)]
pub struct Joined {
    pub membership: Membership,
    pub changed: bool,
}

/// The caller joins a club: at once if it is open (or open to the federation's members and
/// their organisation is one), else a request an animator decides. Joining again while active
/// or pending changes nothing.
pub async fn join(
    tx: &mut WriteTx,
    principal: &Principal,
    club_id: Uuid,
    message: Option<String>,
) -> Result<Joined> {
    seen_club(tx.conn(), principal, club_id).await?;
    let club = store::lock_club(tx, club_id)
        .await?
        .map(store::club_of)
        .ok_or(ClubsError::ClubNotFound)?;
    require_active(&club)?;
    let before = store::lock_membership(tx, club_id, principal.person_id).await?;
    if let Some(current) = before.clone().map(store::membership_of) {
        match current.status {
            MembershipStatus::Active | MembershipStatus::Pending => {
                return Ok(Joined {
                    membership: current,
                    changed: false,
                });
            }
            MembershipStatus::Removed => return Err(ClubsError::MembershipRemoved),
            MembershipStatus::Declined | MembershipStatus::Left => {}
        }
    }
    let status = match club.membership_policy {
        MembershipPolicy::Open => MembershipStatus::Active,
        MembershipPolicy::OnRequest => MembershipStatus::Pending,
        MembershipPolicy::FederationMembers => {
            let standing = accounts::standings(tx.conn(), &[principal.person_id]).await?;
            let member = standing.get(&principal.person_id).is_some_and(|s| s.member);
            if !member && !principal.is_admin() {
                return Err(ClubsError::FederationMembersOnly);
            }
            MembershipStatus::Active
        }
    };
    let message = message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    let state = MembershipState {
        role: ClubRole::Member,
        status,
        message: message.as_deref(),
        decision: None,
        requested_now: true,
    };
    let membership =
        store::write_membership(tx, before.as_ref(), club_id, principal.person_id, state).await?;
    Ok(Joined {
        membership,
        changed: true,
    })
}

/// The caller leaves a club (or withdraws a request). Animators do not leave: an administrator
/// changes the club's animators.
pub async fn leave(tx: &mut WriteTx, principal: &Principal, club_id: Uuid) -> Result<Membership> {
    seen_club(tx.conn(), principal, club_id).await?;
    store::lock_club(tx, club_id).await?;
    let before = store::lock_membership(tx, club_id, principal.person_id)
        .await?
        .ok_or(ClubsError::MemberNotFound)?;
    let current = store::membership_of(before.clone());
    match current.status {
        MembershipStatus::Active if current.role == ClubRole::Animator => {
            Err(ClubsError::AnimatorCannotLeave)
        }
        MembershipStatus::Active | MembershipStatus::Pending => {
            let state = MembershipState {
                role: ClubRole::Member,
                status: MembershipStatus::Left,
                message: None,
                decision: Some((principal.person_id, None)),
                requested_now: false,
            };
            Ok(
                store::write_membership(tx, Some(&before), club_id, principal.person_id, state)
                    .await?,
            )
        }
        _ => Err(ClubsError::MemberNotFound),
    }
}

/// What an animator decides about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approve a pending request.
    Approve,
    /// Decline a pending request (with a reason).
    Decline,
    /// Remove an active member or a pending request (with a reason).
    Remove,
    /// Add a person directly, whatever the club's policy (an invitation accepted offline).
    Add,
}

/// An animator of the club (or an administrator) decides about `person_id`.
pub async fn decide(
    tx: &mut WriteTx,
    principal: &Principal,
    club_id: Uuid,
    person_id: Uuid,
    decision: Decision,
    reason: Option<&str>,
) -> Result<Membership> {
    let seen = seen_club(tx.conn(), principal, club_id).await?;
    require_run(
        &seen,
        "only the club's animators and administrators decide who is a member",
    )?;
    let reason = match decision {
        Decision::Decline | Decision::Remove => Some(reason_of(reason.unwrap_or(""), "reason")?),
        Decision::Approve | Decision::Add => reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned),
    };
    let club = store::lock_club(tx, club_id)
        .await?
        .map(store::club_of)
        .ok_or(ClubsError::ClubNotFound)?;
    let before: Option<MembershipRow> = store::lock_membership(tx, club_id, person_id).await?;
    let current = before.clone().map(store::membership_of);
    if decision == Decision::Add
        && let Some(active) = current.as_ref().filter(|m| m.is_active())
    {
        return Ok(active.clone());
    }
    let status = match (decision, current.as_ref().map(|m| (m.status, m.role))) {
        (Decision::Approve, Some((MembershipStatus::Pending, _))) => MembershipStatus::Active,
        (Decision::Decline, Some((MembershipStatus::Pending, _))) => MembershipStatus::Declined,
        (Decision::Approve | Decision::Decline, Some(_)) => return Err(ClubsError::NotPending),
        (Decision::Approve | Decision::Decline | Decision::Remove, None) => {
            return Err(ClubsError::MemberNotFound);
        }
        (Decision::Remove, Some((MembershipStatus::Active, ClubRole::Animator))) => {
            return Err(ClubsError::IsAnimator);
        }
        (Decision::Remove, Some((MembershipStatus::Active | MembershipStatus::Pending, _))) => {
            MembershipStatus::Removed
        }
        (Decision::Remove, Some(_)) => return Err(ClubsError::MemberNotFound),
        (Decision::Add, _) => {
            require_active(&club)?;
            let standing = accounts::standings(tx.conn(), &[person_id]).await?;
            if !standing.get(&person_id).is_some_and(|s| s.active) {
                return Err(ClubsError::PersonNotFound);
            }
            MembershipStatus::Active
        }
    };
    if status == MembershipStatus::Active {
        require_active(&club)?;
    }
    let state = MembershipState {
        role: ClubRole::Member,
        status,
        message: None,
        decision: Some((principal.person_id, reason.as_deref())),
        requested_now: decision == Decision::Add && current.is_none(),
    };
    let membership =
        store::write_membership(tx, before.as_ref(), club_id, person_id, state).await?;
    if membership.status == MembershipStatus::Active
        && current.is_none_or(|m| m.status != MembershipStatus::Active)
    {
        tx.emit([Event::MembershipAccepted(membership.id)]).await?;
    }
    Ok(membership)
}

/// A club's people, for its members and animators (404 for anyone else): active members and
/// animators; animators and administrators also see pending requests and past members
/// (`all`).
pub async fn members(
    db: &impl ConnectionTrait,
    principal: &Principal,
    club_id: Uuid,
    status: Option<MembershipStatus>,
) -> Result<Vec<Member>> {
    let seen = seen_club(db, principal, club_id).await?;
    if !policy::may_see_member_content(seen.access) {
        return Err(ClubsError::ClubNotFound);
    }
    let runs = policy::may_run(seen.access);
    let memberships: Vec<Membership> = store::memberships_of_club(db, club_id)
        .await?
        .into_iter()
        .filter(|m| runs || m.is_active())
        .filter(|m| status.is_none_or(|s| m.status == s))
        .collect();
    let ids: Vec<Uuid> = memberships.iter().map(|m| m.person_id).collect();
    let cards = accounts::person_cards(db, &ids).await?;
    Ok(memberships
        .into_iter()
        .filter_map(|membership| {
            let person = cards.get(&membership.person_id)?.clone();
            Some(Member { membership, person })
        })
        .collect())
}
