//! RSVPs (synced): one row per (meeting, person).

use entity::meeting_rsvp;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::clubs::model::{Rsvp, RsvpAnswer, pair_id};
use crate::db::write::WriteTx;

pub(super) fn rsvp_of(row: meeting_rsvp::Model) -> Rsvp {
    Rsvp {
        id: row.id,
        meeting_id: row.meeting_id,
        person_id: row.person_id,
        answer: row.answer,
        updated_at: row.updated_at,
    }
}

/// Every RSVP of these meetings, oldest first.
pub async fn rsvps_of_meetings(
    db: &impl ConnectionTrait,
    meeting_ids: &[Uuid],
) -> Result<Vec<Rsvp>, DbErr> {
    if meeting_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(meeting_rsvp::Entity::find()
        .filter(meeting_rsvp::Column::MeetingId.is_in(meeting_ids.iter().copied()))
        .order_by_asc(meeting_rsvp::Column::UpdatedAt)
        .order_by_asc(meeting_rsvp::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(rsvp_of)
        .collect())
}

/// Writes `person_id`'s answer to a meeting (inserting it the first time).
pub async fn write_rsvp(
    tx: &mut WriteTx,
    meeting_id: Uuid,
    club_id: Uuid,
    person_id: Uuid,
    answer: RsvpAnswer,
) -> Result<(Rsvp, bool), DbErr> {
    let now = tx.now();
    let before = tx
        .lock::<meeting_rsvp::Entity>(pair_id(meeting_id, person_id))
        .await?;
    let mut row = match &before {
        Some(before) => before.clone().into_active_model(),
        None => meeting_rsvp::ActiveModel {
            id: Set(pair_id(meeting_id, person_id)),
            meeting_id: Set(meeting_id),
            club_id: Set(club_id),
            person_id: Set(person_id),
            version: Set(0),
            ..Default::default()
        },
    };
    row.answer = Set(answer);
    row.updated_at = Set(now);
    let row = match &before {
        Some(before) => tx.update::<meeting_rsvp::Entity, _>(before, row).await?,
        None => tx.insert::<meeting_rsvp::Entity, _>(row).await?,
    };
    Ok((rsvp_of(row), before.is_none()))
}
