//! Positioning (Qualiopi ind. 8): `/api/v1/trainings/{id}/positioning` (the questionnaire) and
//! `/api/v1/enrolments/{id}/positioning` (a trainee's answers).

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use uuid::Uuid;

use crate::enrolment::model::{self, Answer, Positioning, Question, Questionnaire};
use crate::enrolment::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::nullable::Nullable;
use crate::http::patch::Patch;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::{ListItem, Text};
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// The kind of a positioning question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "QuestionKind",
    rename_all = "snake_case",
    remote = "model::QuestionKind"
)]
pub enum QuestionKindView {
    /// One of `options`.
    SingleChoice,
    /// One or more of `options`.
    MultipleChoice,
    /// A whole number from `scale_min` to `scale_max`.
    Scale,
    /// Free text.
    FreeText,
}

/// A question of a positioning questionnaire.
///
/// - `kind`: Single choice, multiple choice, scale or free text.
#[derive(Debug, Object)]
pub struct QuestionBody {
    /// The question's key (1–64 characters), unique in the questionnaire; answers name it.
    #[oai(validator(min_length = 1, max_length = 64))]
    pub key: Text,
    pub kind: QuestionKindView,
    /// The question (1–1000 characters).
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub prompt: Text,
    /// The choices of a choice question (2–20, distinct); absent otherwise.
    #[oai(validator(max_items = 20))]
    pub options: Patch<Vec<ListItem>>,
    /// Lowest value of a scale question.
    #[oai(validator(minimum(value = "-100"), maximum(value = "100")))]
    pub scale_min: Patch<i32>,
    /// Highest value of a scale question (above `scale_min`).
    #[oai(validator(minimum(value = "-100"), maximum(value = "100")))]
    pub scale_max: Patch<i32>,
}

/// A training's positioning questionnaire, as an administrator defines it.
#[derive(Debug, Object)]
pub struct QuestionnaireBody {
    /// 1 to 50 questions, in the order they are asked.
    #[oai(validator(min_items = 1, max_items = 50))]
    pub questions: Vec<QuestionBody>,
}

/// A question as the questionnaire states it.
///
/// - `kind`: Single choice, multiple choice, scale or free text.
#[derive(Debug, Object)]
pub struct QuestionView {
    /// The question's key.
    pub key: String,
    pub kind: QuestionKindView,
    /// The question.
    pub prompt: String,
    /// The choices (empty unless a choice question).
    pub options: Vec<String>,
    /// Bounds of a scale question.
    pub scale_min: Nullable<i32>,
    /// Bounds of a scale question.
    pub scale_max: Nullable<i32>,
}

/// A training's positioning questionnaire (Qualiopi ind. 8).
#[derive(Debug, Object)]
pub struct QuestionnaireView {
    /// The training.
    pub training_id: Uuid,
    /// The questions, in order.
    pub questions: Vec<QuestionView>,
    /// When it was last defined (UTC).
    pub updated_at: Timestamp,
}

impl From<Questionnaire> for QuestionnaireView {
    fn from(q: Questionnaire) -> Self {
        Self {
            training_id: q.training_id,
            questions: q
                .questions
                .into_iter()
                .map(|q| QuestionView {
                    key: q.key,
                    kind: q.kind.into(),
                    prompt: q.prompt,
                    options: q.options,
                    scale_min: Nullable(q.scale_min),
                    scale_max: Nullable(q.scale_max),
                })
                .collect(),
            updated_at: q.updated_at.into(),
        }
    }
}

/// An answer to one question: `choices` for a choice question, `value` for a scale, `text` for
/// free text.
#[derive(Debug, Object)]
pub struct AnswerBody {
    /// The question's key.
    #[oai(validator(min_length = 1, max_length = 64))]
    pub key: Text,
    /// The chosen options.
    #[oai(validator(max_items = 20))]
    pub choices: Patch<Vec<ListItem>>,
    /// The value on the scale.
    pub value: Patch<i32>,
    /// The free text (1–4000 characters).
    #[oai(validator(max_length = 4000))]
    pub text: Patch<Text>,
}

/// A trainee's answers: one per question.
#[derive(Debug, Object)]
pub struct AnswersBody {
    /// Every question answered once.
    #[oai(validator(min_items = 1, max_items = 50))]
    pub answers: Vec<AnswerBody>,
}

/// An answer as stored.
#[derive(Debug, Object)]
pub struct AnswerView {
    /// The question's key.
    pub key: String,
    /// The chosen options (choice questions).
    pub choices: Vec<String>,
    /// The value (scale questions).
    pub value: Nullable<i32>,
    /// The text (free-text questions).
    pub text: Nullable<String>,
}

/// A trainee's positioning answers.
#[derive(Debug, Object)]
pub struct PositioningView {
    /// The enrolment.
    pub enrolment_id: Uuid,
    /// One answer per question.
    pub answers: Vec<AnswerView>,
    /// When they were given (UTC).
    pub answered_at: Timestamp,
}

impl From<Positioning> for PositioningView {
    fn from(p: Positioning) -> Self {
        Self {
            enrolment_id: p.enrolment_id,
            answers: p
                .answers
                .into_iter()
                .map(|a| AnswerView {
                    key: a.key,
                    choices: a.choices,
                    value: Nullable(a.value),
                    text: Nullable(a.text),
                })
                .collect(),
            answered_at: p.answered_at.into(),
        }
    }
}

fn items(list: Patch<Vec<ListItem>>) -> Vec<String> {
    list.get()
        .unwrap_or_default()
        .into_iter()
        .map(ListItem::into_inner)
        .collect()
}

ok_response!(QuestionnaireOk, QuestionnaireView, "The questionnaire.");
ok_response!(PositioningOk, PositioningView, "The answers.");

#[derive(Default)]
pub struct PositioningApi;

#[OpenApi(tag = "ApiTags::Enrolments")]
impl PositioningApi {
    /// Define a training's positioning questionnaire
    ///
    /// Administrators; replaces the questions. 422 `enrolment.invalid` for duplicate keys,
    /// choice questions without 2–20 distinct options, options on other kinds, a scale without
    /// `scale_min < scale_max` or bounds on other kinds; 404 `enrolment.training_not_found`; 403
    /// `enrolment.forbidden` for anyone else.
    #[oai(
        path = "/api/v1/trainings/:id/positioning",
        method = "put",
        operation_id = "set_positioning_questionnaire"
    )]
    async fn set(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
        body: JsonBody<QuestionnaireBody>,
    ) -> ApiResult<QuestionnaireOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let questions = body
            .0
            .questions
            .into_iter()
            .map(|q| Question {
                key: q.key.into_inner(),
                kind: q.kind.into(),
                prompt: q.prompt.into_inner(),
                options: items(q.options),
                scale_min: q.scale_min.get(),
                scale_max: q.scale_max.get(),
            })
            .collect();
        let mut tx = state.begin().await?;
        let defined = service::set_questionnaire(&mut tx, &auth.0, id.0, questions).await?;
        tx.commit().await?;
        Ok(QuestionnaireOk::Ok(Json(defined.into())))
    }

    /// A training's positioning questionnaire
    ///
    /// For any signed-in person; 404 `enrolment.questionnaire_not_found` when the training has
    /// none.
    #[oai(
        path = "/api/v1/trainings/:id/positioning",
        method = "get",
        operation_id = "get_positioning_questionnaire"
    )]
    async fn get_questionnaire(
        &self,
        state: Data<&AppState>,
        _auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
    ) -> ApiResult<QuestionnaireOk, { AUTH | PARAMS | NOT_FOUND }> {
        let found = service::questionnaire(&state.db, id.0).await?;
        Ok(QuestionnaireOk::Ok(Json(found.into())))
    }

    /// Answer the positioning questionnaire
    ///
    /// The trainee, before the session starts (409 `enrolment.session_started`), every question
    /// once (422 `enrolment.invalid` naming what does not fit); answering again replaces the
    /// answers. The enrolment then shows `positioning_answered_at`. 404 for anyone but the
    /// trainee.
    #[oai(
        path = "/api/v1/enrolments/:id/positioning",
        method = "put",
        operation_id = "answer_positioning"
    )]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
        body: JsonBody<AnswersBody>,
    ) -> ApiResult<PositioningOk, { AUTH | PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        let answers = body
            .0
            .answers
            .into_iter()
            .map(|a| Answer {
                key: a.key.into_inner(),
                choices: items(a.choices),
                value: a.value.get(),
                text: a.text.get().map(Text::into_inner),
            })
            .collect();
        let mut tx = state.begin().await?;
        let answered = service::answer_positioning(&mut tx, &auth.0, id.0, answers).await?;
        tx.commit().await?;
        Ok(PositioningOk::Ok(Json(answered.into())))
    }

    /// A trainee's positioning answers
    ///
    /// For the trainee, the session's trainers and administrators; 404 for anyone else, and
    /// `enrolment.positioning_not_found` before they answer.
    #[oai(
        path = "/api/v1/enrolments/:id/positioning",
        method = "get",
        operation_id = "get_positioning"
    )]
    async fn get_answers(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<PositioningOk, { AUTH | PARAMS | NOT_FOUND }> {
        let found = service::positioning(&state.db, &auth.0, id.0).await?;
        Ok(PositioningOk::Ok(Json(found.into())))
    }
}
