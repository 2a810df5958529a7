//! A person's rows across the clubs' tables, for the personal-data export and erasure.

use entity::{club_membership, meeting_rsvp};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::rsvps::rsvp_of;
use crate::clubs::model::Rsvp;
use crate::db::write::WriteTx;

async fn rsvp_rows(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<meeting_rsvp::Model>, DbErr> {
    meeting_rsvp::Entity::find()
        .filter(meeting_rsvp::Column::PersonId.eq(person_id))
        .order_by_asc(meeting_rsvp::Column::UpdatedAt)
        .order_by_asc(meeting_rsvp::Column::Id)
        .all(db)
        .await
}

/// Every answer a person gave to a meeting, oldest first.
pub async fn rsvps_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<Rsvp>, DbErr> {
    Ok(rsvp_rows(db, person_id)
        .await?
        .into_iter()
        .map(rsvp_of)
        .collect())
}

/// Deletes a person's memberships and answers (the devices that saw them get tombstones);
/// answers how many of each.
pub async fn delete_club_rows_of_person(
    tx: &mut WriteTx,
    person_id: Uuid,
) -> Result<(usize, usize), DbErr> {
    let memberships = club_membership::Entity::find()
        .filter(club_membership::Column::PersonId.eq(person_id))
        .all(tx.conn())
        .await?;
    let rsvps = rsvp_rows(tx.conn(), person_id).await?;
    let counts = (memberships.len(), rsvps.len());
    for row in rsvps {
        tx.delete::<meeting_rsvp::Entity>(row).await?;
    }
    for row in memberships {
        tx.delete::<club_membership::Entity>(row).await?;
    }
    Ok(counts)
}
