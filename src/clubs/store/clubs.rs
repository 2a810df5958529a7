//! Clubs (synced).

use entity::club;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryOrder, Set};
use uuid::Uuid;

use crate::clubs::model::{Club, ClubChanges, ClubStatus, NewClub};
use crate::db::write::WriteTx;

pub type ClubRow = club::Model;

pub fn club_of(row: ClubRow) -> Club {
    Club {
        id: row.id,
        name: row.name,
        trade: row.trade,
        description: row.description,
        membership_policy: row.membership_policy,
        calendar_visibility: row.calendar_visibility,
        status: row.status,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn club(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ClubRow>, DbErr> {
    club::Entity::find_by_id(id).one(db).await
}

/// Every club, in creation order (a federation has a handful to a few dozen).
pub async fn all_clubs(db: &impl ConnectionTrait) -> Result<Vec<ClubRow>, DbErr> {
    club::Entity::find()
        .order_by_asc(club::Column::Id)
        .all(db)
        .await
}

/// Reads a club and locks it until commit (membership decisions of one club happen one at a
/// time).
pub async fn lock_club(tx: &WriteTx, id: Uuid) -> Result<Option<ClubRow>, DbErr> {
    tx.lock::<club::Entity>(id).await
}

pub async fn insert_club(tx: &mut WriteTx, id: Uuid, new: &NewClub) -> Result<ClubRow, DbErr> {
    let now = tx.now();
    tx.insert::<club::Entity, _>(club::ActiveModel {
        id: Set(id),
        name: Set(new.name.clone()),
        trade: Set(new.trade),
        description: Set(new.description.clone()),
        membership_policy: Set(new.membership_policy),
        calendar_visibility: Set(new.calendar_visibility),
        status: Set(ClubStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
    })
    .await
}

pub async fn update_club(
    tx: &mut WriteTx,
    before: &ClubRow,
    changes: ClubChanges,
) -> Result<ClubRow, DbErr> {
    let mut row = before.clone().into_active_model();
    if let Some(v) = changes.name {
        row.name = Set(v);
    }
    if let Some(v) = changes.trade {
        row.trade = Set(v);
    }
    if let Some(v) = changes.description {
        row.description = Set(v);
    }
    if let Some(v) = changes.membership_policy {
        row.membership_policy = Set(v);
    }
    if let Some(v) = changes.calendar_visibility {
        row.calendar_visibility = Set(v);
    }
    if let Some(v) = changes.status {
        row.status = Set(v);
    }
    row.updated_at = Set(tx.now());
    tx.update::<club::Entity, _>(before, row).await
}
