//! A person's rows across enrolment's tables, for the personal-data export and erasure.

use entity::{accommodation_request, enrolment, positioning_answer};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::enrolments::Row;
use crate::db::write::WriteTx;
use crate::enrolment::model::{Accommodation, Positioning};

/// The accommodation requests of these enrolments, oldest first.
pub async fn accommodations_of_enrolments(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<Vec<Accommodation>, DbErr> {
    Ok(accommodation_request::Entity::find()
        .filter(accommodation_request::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
        .order_by_asc(accommodation_request::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(super::accommodations::accommodation_of)
        .collect())
}

/// The positioning answers of these enrolments.
pub async fn answers_of_enrolments(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<Vec<Positioning>, DbErr> {
    let rows = positioning_answer::Entity::find()
        .filter(positioning_answer::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
        .order_by_asc(positioning_answer::Column::EnrolmentId)
        .all(db)
        .await?;
    rows.into_iter()
        .map(super::positioning::positioning_of)
        .collect()
}

/// Deletes the accommodation requests of these enrolments (they may describe health).
pub async fn delete_accommodations(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<u64, DbErr> {
    Ok(accommodation_request::Entity::delete_many()
        .filter(accommodation_request::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes the positioning answers of these enrolments; each enrolment keeps the date it was
/// answered.
pub async fn delete_answers(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<u64, DbErr> {
    Ok(positioning_answer::Entity::delete_many()
        .filter(positioning_answer::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Empties what the person wrote on an enrolment (needs and expectations, a cancellation's
/// reason) and forgets the caller's idempotency key; stamped for sync.
pub async fn blank_personal_text(tx: &mut WriteTx, before: &Row) -> Result<Row, DbErr> {
    let mut row = before.clone().into_active_model();
    row.needs = Set(String::new());
    if before.cancel_reason.is_some() {
        row.cancel_reason = Set(Some(String::new()));
    }
    row.idempotency_key = Set(None);
    row.updated_at = Set(tx.now());
    tx.update::<enrolment::Entity, _>(before, row).await
}
