//! Creating, changing and listing clubs, and naming their animators.

use std::collections::{BTreeSet, HashMap};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{ClubsError, Result, require_active, seen_club};
use crate::accounts::service as accounts;
use crate::clubs::model::{
    Club, ClubChanges, ClubRole, ClubSummary, Membership, MembershipStatus, NewClub, PersonRef,
};
use crate::clubs::policy;
use crate::clubs::store::{self, MembershipState};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::{Principal, Role};
use crate::validation::{FieldErrors, required_text};

fn require_admin(principal: &Principal) -> Result<()> {
    if policy::may_administer(principal) {
        Ok(())
    } else {
        Err(ClubsError::Forbidden(
            "only administrators create clubs, change them and name their animators",
        ))
    }
}

fn check_club_texts(
    name: Option<&str>,
    description: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let mut errors = FieldErrors::default();
    let name = name.map(|n| required_text(&mut errors, "name", n, 200));
    let description = description.map(|d| {
        let d = d.trim().to_owned();
        if d.chars().count() > 10_000 {
            errors.add("description", "must be at most 10000 characters");
        }
        d
    });
    errors.into_result().map_err(ClubsError::Invalid)?;
    Ok((name, description))
}

/// Checks that every one of `ids` is an active person holding the animator role (422 naming
/// the others).
async fn check_animators(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<BTreeSet<Uuid>> {
    let mut errors = FieldErrors::default();
    let mut animators = BTreeSet::new();
    for &id in ids {
        match accounts::person_and_membership(db, id).await? {
            Some((person, _)) if person.active && person.roles.contains(&Role::Animator) => {
                animators.insert(id);
            }
            Some(_) => errors.add(
                "animator_ids",
                format!("{id} does not hold the animator role (or is deactivated)"),
            ),
            None => errors.add("animator_ids", format!("{id} is not a person")),
        }
    }
    errors.into_result().map_err(ClubsError::Invalid)?;
    Ok(animators)
}

/// Creates a club with its animators (administrators).
pub async fn create_club(
    tx: &mut WriteTx,
    principal: &Principal,
    new: NewClub,
) -> Result<ClubSummary> {
    create_club_with_id(tx, principal, Uuid::now_v7(), new).await
}

/// Creates a club under a chosen id (demo data keeps its ids stable).
pub async fn create_club_with_id(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    mut new: NewClub,
) -> Result<ClubSummary> {
    require_admin(principal)?;
    let (name, description) = check_club_texts(Some(&new.name), Some(&new.description))?;
    new.name = name.unwrap_or_default();
    new.description = description.unwrap_or_default();
    let animators = check_animators(tx.conn(), &new.animator_ids).await?;
    store::insert_club(tx, id, &new).await?;
    for person_id in animators {
        store::write_membership(tx, None, id, person_id, animator_state(principal)).await?;
    }
    get_club(tx.conn(), principal, id).await
}

fn animator_state(principal: &Principal) -> MembershipState<'static> {
    MembershipState {
        role: ClubRole::Animator,
        status: MembershipStatus::Active,
        message: None,
        decision: Some((principal.person_id, None)),
        requested_now: false,
    }
}

/// Changes a club (administrators). Archiving keeps everything; an archived club takes no new
/// members nor meetings.
pub async fn update_club(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    mut changes: ClubChanges,
) -> Result<ClubSummary> {
    require_admin(principal)?;
    let (name, description) =
        check_club_texts(changes.name.as_deref(), changes.description.as_deref())?;
    changes.name = name;
    changes.description = description;
    let before = store::lock_club(tx, id)
        .await?
        .ok_or(ClubsError::ClubNotFound)?;
    store::update_club(tx, &before, changes).await?;
    get_club(tx.conn(), principal, id).await
}

/// Replaces a club's animators (administrators): the people named become its animators (and
/// members); animators no longer named stay members.
pub async fn set_animators(
    tx: &mut WriteTx,
    principal: &Principal,
    club_id: Uuid,
    ids: &[Uuid],
) -> Result<ClubSummary> {
    require_admin(principal)?;
    let club = store::lock_club(tx, club_id)
        .await?
        .map(store::club_of)
        .ok_or(ClubsError::ClubNotFound)?;
    require_active(&club)?;
    let wanted = check_animators(tx.conn(), ids).await?;
    let current = store::memberships_of_club(tx.conn(), club_id).await?;
    for m in current.iter().filter(|m| m.is_animator()) {
        if !wanted.contains(&m.person_id) {
            let before = store::lock_membership(tx, club_id, m.person_id).await?;
            let state = MembershipState {
                role: ClubRole::Member,
                status: MembershipStatus::Active,
                message: None,
                decision: Some((principal.person_id, None)),
                requested_now: false,
            };
            store::write_membership(tx, before.as_ref(), club_id, m.person_id, state).await?;
        }
    }
    for person_id in wanted {
        let before = store::lock_membership(tx, club_id, person_id).await?;
        if before
            .as_ref()
            .is_some_and(|b| store::membership_of(b.clone()).is_animator())
        {
            continue;
        }
        store::write_membership(
            tx,
            before.as_ref(),
            club_id,
            person_id,
            animator_state(principal),
        )
        .await?;
    }
    get_club(tx.conn(), principal, club_id).await
}

/// Whether a club exists, whatever its status (demo data and tools; no policy).
pub async fn club_exists(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    Ok(store::club(db, id).await?.is_some())
}

/// One club, for anyone who may see it.
pub async fn get_club(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<ClubSummary> {
    seen_club(db, principal, id).await?;
    let memberships = store::memberships_of_club(db, id).await?;
    let club = store::club(db, id)
        .await?
        .map(store::club_of)
        .ok_or(ClubsError::ClubNotFound)?;
    let mut summaries = summarise(db, principal, vec![club], memberships).await?;
    summaries.pop().ok_or(ClubsError::ClubNotFound)
}

/// The clubs the caller may see (active ones; archived ones of theirs; all for
/// administrators), in creation order, optionally only those of one trade.
pub async fn list_clubs(
    db: &impl ConnectionTrait,
    principal: &Principal,
    trade: Option<crate::clubs::model::ClubTrade>,
    page: &PageRequest,
) -> Result<Page<ClubSummary>> {
    let memberships = store::all_memberships(db).await?;
    let clubs: Vec<Club> = store::all_clubs(db)
        .await?
        .into_iter()
        .map(store::club_of)
        .filter(|c| trade.is_none_or(|t| c.trade == t))
        .filter(|c| {
            let mine = memberships
                .iter()
                .find(|m| m.club_id == c.id && m.person_id == principal.person_id);
            policy::may_see_club(policy::access(principal, mine), c)
        })
        .filter(|c| page.after.is_none_or(|after| c.id > after))
        .take(usize::try_from(page.fetch()).unwrap_or(usize::MAX))
        .collect();
    let summaries = summarise(db, principal, clubs, memberships).await?;
    Ok(page.finish(summaries, |s: &ClubSummary| s.club.id))
}

/// The clubs the caller belongs to or asked to join, with their membership.
pub async fn my_clubs(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Vec<ClubSummary>> {
    let mine = store::memberships_of_person(db, principal.person_id).await?;
    let memberships = store::all_memberships(db).await?;
    let mut clubs = Vec::new();
    for m in &mine {
        if let Some(row) = store::club(db, m.club_id).await? {
            clubs.push(store::club_of(row));
        }
    }
    summarise(db, principal, clubs, memberships).await
}

async fn summarise(
    db: &impl ConnectionTrait,
    principal: &Principal,
    clubs: Vec<Club>,
    memberships: Vec<Membership>,
) -> Result<Vec<ClubSummary>> {
    let animator_ids: Vec<Uuid> = memberships
        .iter()
        .filter(|m| m.is_animator())
        .map(|m| m.person_id)
        .collect();
    let cards: HashMap<Uuid, PersonRef> = accounts::person_cards(db, &animator_ids).await?;
    Ok(clubs
        .into_iter()
        .map(|club| {
            let of_club = memberships.iter().filter(|m| m.club_id == club.id);
            let mut animators: Vec<PersonRef> = of_club
                .clone()
                .filter(|m| m.is_animator())
                .filter_map(|m| cards.get(&m.person_id).cloned())
                .collect();
            animators
                .sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
            let member_count = of_club.clone().filter(|m| m.is_active()).count() as u64;
            let mine = of_club
                .clone()
                .find(|m| m.person_id == principal.person_id)
                .cloned();
            ClubSummary {
                club,
                animators,
                member_count,
                mine,
            }
        })
        .collect())
}
