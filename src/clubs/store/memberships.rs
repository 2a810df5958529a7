//! Memberships of clubs (synced): one row per (club, person).

use chrono::{DateTime, Utc};
use entity::club_membership;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::clubs::model::{ClubRole, Membership, MembershipStatus, pair_id};
use crate::db::write::WriteTx;

pub type MembershipRow = club_membership::Model;

pub fn membership_of(row: MembershipRow) -> Membership {
    Membership {
        id: row.id,
        club_id: row.club_id,
        person_id: row.person_id,
        role: row.role,
        status: row.status,
        message: row.message,
        requested_at: row.requested_at,
        decided_at: row.decided_at,
        decided_by: row.decided_by,
        reason: row.reason,
        updated_at: row.updated_at,
    }
}

pub async fn membership(
    db: &impl ConnectionTrait,
    club_id: Uuid,
    person_id: Uuid,
) -> Result<Option<Membership>, DbErr> {
    Ok(
        club_membership::Entity::find_by_id(pair_id(club_id, person_id))
            .one(db)
            .await?
            .map(membership_of),
    )
}

/// Reads a membership and locks it until commit.
pub async fn lock_membership(
    tx: &WriteTx,
    club_id: Uuid,
    person_id: Uuid,
) -> Result<Option<MembershipRow>, DbErr> {
    tx.lock::<club_membership::Entity>(pair_id(club_id, person_id))
        .await
}

/// Every membership of one club, in any status, oldest request first.
pub async fn memberships_of_club(
    db: &impl ConnectionTrait,
    club_id: Uuid,
) -> Result<Vec<Membership>, DbErr> {
    Ok(club_membership::Entity::find()
        .filter(club_membership::Column::ClubId.eq(club_id))
        .order_by_asc(club_membership::Column::RequestedAt)
        .order_by_asc(club_membership::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(membership_of)
        .collect())
}

/// Every membership of every club (lists and figures; clubs have at most a few hundred people).
pub async fn all_memberships(db: &impl ConnectionTrait) -> Result<Vec<Membership>, DbErr> {
    Ok(club_membership::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(membership_of)
        .collect())
}

/// Every membership of one person.
pub async fn memberships_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<Membership>, DbErr> {
    Ok(club_membership::Entity::find()
        .filter(club_membership::Column::PersonId.eq(person_id))
        .order_by_asc(club_membership::Column::RequestedAt)
        .all(db)
        .await?
        .into_iter()
        .map(membership_of)
        .collect())
}

/// A membership's new state.
pub struct MembershipState<'a> {
    pub role: ClubRole,
    pub status: MembershipStatus,
    pub message: Option<&'a str>,
    /// Who decided and why (`None` for a request or an immediate join).
    pub decision: Option<(Uuid, Option<&'a str>)>,
    /// A new request restarts `requested_at`.
    pub requested_now: bool,
}

/// Writes `person_id`'s membership of `club_id` (inserting it the first time).
pub async fn write_membership(
    tx: &mut WriteTx,
    before: Option<&MembershipRow>,
    club_id: Uuid,
    person_id: Uuid,
    state: MembershipState<'_>,
) -> Result<Membership, DbErr> {
    let now: DateTime<Utc> = tx.now();
    let mut row = match before {
        Some(before) => before.clone().into_active_model(),
        None => club_membership::ActiveModel {
            id: Set(pair_id(club_id, person_id)),
            club_id: Set(club_id),
            person_id: Set(person_id),
            requested_at: Set(now),
            version: Set(0),
            ..Default::default()
        },
    };
    row.role = Set(state.role);
    row.status = Set(state.status);
    if before.is_none() || state.requested_now {
        row.requested_at = Set(now);
        row.message = Set(state.message.map(str::to_owned));
    }
    match state.decision {
        Some((by, reason)) => {
            row.decided_at = Set(Some(now));
            row.decided_by = Set(Some(by));
            row.reason = Set(reason.map(str::to_owned));
        }
        None => {
            row.decided_at = Set(None);
            row.decided_by = Set(None);
            row.reason = Set(None);
        }
    }
    row.updated_at = Set(now);
    let row = match before {
        Some(before) => tx.update::<club_membership::Entity, _>(before, row).await?,
        None => tx.insert::<club_membership::Entity, _>(row).await?,
    };
    Ok(membership_of(row))
}
