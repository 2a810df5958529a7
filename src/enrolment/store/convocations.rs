//! The convocation table (not synced): one per enrolment, replaced when issued again.

use entity::convocation as row;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::enrolment::model::Convocation;

pub async fn save_convocation(db: &impl ConnectionTrait, c: &Convocation) -> Result<(), DbErr> {
    let content = serde_json::to_string(&c.content).map_err(|e| DbErr::Custom(e.to_string()))?;
    let model = row::ActiveModel {
        enrolment_id: Set(c.enrolment_id),
        content: Set(content),
        issued_by: Set(c.issued_by),
        issued_at: Set(c.issued_at),
    };
    row::Entity::insert(model)
        .on_conflict(
            OnConflict::column(row::Column::EnrolmentId)
                .update_columns([
                    row::Column::Content,
                    row::Column::IssuedBy,
                    row::Column::IssuedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub async fn convocation(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
) -> Result<Option<Convocation>, DbErr> {
    row::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .map(convocation_of)
        .transpose()
}

/// The convocations issued for these enrolments, in one query.
pub async fn convocations(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<Vec<Convocation>, DbErr> {
    crate::db::query::by_ids::<row::Entity>(db, row::Column::EnrolmentId, enrolment_ids)
        .await?
        .into_iter()
        .map(convocation_of)
        .collect()
}

fn convocation_of(r: row::Model) -> Result<Convocation, DbErr> {
    let content = serde_json::from_str(&r.content).map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(Convocation {
        enrolment_id: r.enrolment_id,
        content,
        issued_by: r.issued_by,
        issued_at: r.issued_at,
    })
}
