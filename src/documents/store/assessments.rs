use entity::assessment as row;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::documents::model::{Assessment, AssessmentResult};

fn assessment_of(row: row::Model) -> Result<Assessment, DbErr> {
    Ok(Assessment {
        enrolment_id: row.enrolment_id,
        result: AssessmentResult::parse(&row.result)
            .ok_or_else(|| DbErr::Custom(format!("unknown assessment result {}", row.result)))?,
        comment: row.comment,
        assessed_by: row.assessed_by,
        assessed_at: row.assessed_at,
    })
}

pub async fn assessment(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
) -> Result<Option<Assessment>, DbErr> {
    row::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .map(assessment_of)
        .transpose()
}

pub async fn save_assessment(db: &impl ConnectionTrait, a: &Assessment) -> Result<(), DbErr> {
    let model = row::ActiveModel {
        enrolment_id: Set(a.enrolment_id),
        result: Set(a.result.as_str().to_owned()),
        comment: Set(a.comment.clone()),
        assessed_by: Set(a.assessed_by),
        assessed_at: Set(a.assessed_at),
    };
    row::Entity::insert(model)
        .on_conflict(
            OnConflict::column(row::Column::EnrolmentId)
                .update_columns([
                    row::Column::Result,
                    row::Column::Comment,
                    row::Column::AssessedBy,
                    row::Column::AssessedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
