//! The positioning tables (not synced): questionnaires per training, answers per enrolment.

use chrono::{DateTime, Utc};
use entity::{positioning_answer as answer, positioning_questionnaire as questionnaire};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::enrolment::model::{Answer, Positioning, Question, Questionnaire};

fn json<T: serde::Serialize>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DbErr> {
    serde_json::from_str(text).map_err(|e| DbErr::Custom(e.to_string()))
}

pub async fn save_questionnaire(
    db: &impl ConnectionTrait,
    training_id: Uuid,
    questions: &[Question],
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    use questionnaire::Column as Q;
    let model = questionnaire::ActiveModel {
        training_id: Set(training_id),
        questions: Set(json(&questions)?),
        updated_by: Set(by),
        updated_at: Set(at),
    };
    questionnaire::Entity::insert(model)
        .on_conflict(
            OnConflict::column(Q::TrainingId)
                .update_columns([Q::Questions, Q::UpdatedBy, Q::UpdatedAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub async fn questionnaire(
    db: &impl ConnectionTrait,
    training_id: Uuid,
) -> Result<Option<Questionnaire>, DbErr> {
    let Some(row) = questionnaire::Entity::find_by_id(training_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Questionnaire {
        training_id: row.training_id,
        questions: parse(&row.questions)?,
        updated_at: row.updated_at,
    }))
}

pub async fn save_answers(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
    answers: &[Answer],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    use answer::Column as A;
    let model = answer::ActiveModel {
        enrolment_id: Set(enrolment_id),
        answers: Set(json(&answers)?),
        answered_at: Set(at),
    };
    answer::Entity::insert(model)
        .on_conflict(
            OnConflict::column(A::EnrolmentId)
                .update_columns([A::Answers, A::AnsweredAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub async fn answers(
    db: &impl ConnectionTrait,
    enrolment_id: Uuid,
) -> Result<Option<Positioning>, DbErr> {
    answer::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .map(positioning_of)
        .transpose()
}

pub(super) fn positioning_of(row: answer::Model) -> Result<Positioning, DbErr> {
    Ok(Positioning {
        enrolment_id: row.enrolment_id,
        answers: parse(&row.answers)?,
        answered_at: row.answered_at,
    })
}
