//! Assessments: one row per enrolment; the per-objective results as a JSON list beside the
//! overall result.

use entity::assessment as row;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::documents::model::{Assessment, AssessmentResult, ObjectiveResult};

/// One element of the `objectives` column.
#[derive(Serialize, Deserialize)]
struct StoredObjective {
    objective: usize,
    wording: String,
    result: String,
    comment: String,
}

fn result_of(text: &str) -> Result<AssessmentResult, DbErr> {
    AssessmentResult::parse(text)
        .ok_or_else(|| DbErr::Custom(format!("unknown assessment result {text}")))
}

fn assessment_of(row: row::Model) -> Result<Assessment, DbErr> {
    let stored: Vec<StoredObjective> =
        serde_json::from_str(&row.objectives).map_err(|e| DbErr::Custom(e.to_string()))?;
    let objectives = stored
        .into_iter()
        .map(|o| {
            Ok(ObjectiveResult {
                objective: o.objective,
                wording: o.wording,
                result: result_of(&o.result)?,
                comment: o.comment,
            })
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(Assessment {
        enrolment_id: row.enrolment_id,
        result: result_of(&row.result)?,
        comment: row.comment,
        objectives,
        assessed_by: row.assessed_by,
        assessed_at: row.assessed_at,
    })
}

fn objectives_json(objectives: &[ObjectiveResult]) -> Result<String, DbErr> {
    let stored: Vec<StoredObjective> = objectives
        .iter()
        .map(|o| StoredObjective {
            objective: o.objective,
            wording: o.wording.clone(),
            result: o.result.as_str().to_owned(),
            comment: o.comment.clone(),
        })
        .collect();
    serde_json::to_string(&stored).map_err(|e| DbErr::Custom(e.to_string()))
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
        objectives: Set(objectives_json(&a.objectives)?),
        assessed_by: Set(a.assessed_by),
        assessed_at: Set(a.assessed_at),
    };
    row::Entity::insert(model)
        .on_conflict(
            OnConflict::column(row::Column::EnrolmentId)
                .update_columns([
                    row::Column::Result,
                    row::Column::Comment,
                    row::Column::Objectives,
                    row::Column::AssessedBy,
                    row::Column::AssessedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The assessments of these enrolments.
pub async fn assessments_of_enrolments(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<Vec<Assessment>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    row::Entity::find()
        .filter(row::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
        .order_by_asc(row::Column::EnrolmentId)
        .all(db)
        .await?
        .into_iter()
        .map(assessment_of)
        .collect()
}
