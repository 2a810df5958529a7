//! Trainers: profiles and competence records (administrators; a trainer reads their own).

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use crate::http::nullable::Nullable;

use super::vocabulary::TrainerKindView;
use crate::catalogue::model::{Competence, CompetenceInput, ProfileInput, Trainer};
use crate::catalogue::service;
use crate::http::auth::BearerAuth;
use crate::http::dates::DateText;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// A competence record (Qualiopi ind. 21–22).
#[derive(Debug, Object)]
pub struct CompetenceView {
    /// Identifier.
    pub id: Uuid,
    /// When it was obtained.
    pub obtained_on: NaiveDate,
    /// Title (diploma, certification, experience, training followed).
    pub title: String,
    /// Link to the evidence.
    pub evidence_url: Nullable<String>,
}

impl From<&Competence> for CompetenceView {
    fn from(c: &Competence) -> Self {
        Self {
            id: c.id,
            obtained_on: c.obtained_on,
            title: c.title.clone(),
            evidence_url: Nullable(c.evidence_url.clone()),
        }
    }
}

/// A trainer.
///
/// - `kind`: Internal staff or external subcontractor (`internal` until a profile says otherwise).
#[derive(Debug, Object)]
pub struct TrainerView {
    /// Person id.
    pub person_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail.
    pub email: String,
    pub kind: TrainerKindView,
    /// Subcontractor's company.
    pub company: Nullable<String>,
    /// Subcontracting contract reference.
    pub contract_reference: Nullable<String>,
    /// Competence records, oldest first.
    pub competences: Vec<CompetenceView>,
}

impl From<Trainer> for TrainerView {
    fn from(t: Trainer) -> Self {
        Self {
            person_id: t.id,
            first_name: t.first_name,
            last_name: t.last_name,
            email: t.email,
            kind: t.kind.into(),
            company: Nullable(t.company),
            contract_reference: Nullable(t.contract_reference),
            competences: t.competences.iter().map(Into::into).collect(),
        }
    }
}

/// A trainer's profile.
///
/// - `kind`: Internal or external.
#[derive(Debug, Object)]
pub struct TrainerProfileRequest {
    pub kind: TrainerKindView,
    /// Company of an external trainer (required then).
    #[oai(nullable, validator(max_length = 200))]
    pub company: Option<Text>,
    /// Contract reference of an external trainer (required then).
    #[oai(nullable, validator(max_length = 200))]
    pub contract_reference: Option<Text>,
}

/// A new competence record.
#[derive(Debug, Object)]
pub struct CompetenceRequest {
    /// When it was obtained (not in the future).
    pub obtained_on: DateText,
    /// Title.
    #[oai(validator(min_length = 1, max_length = 300))]
    pub title: Text,
    /// Link to the evidence (http or https).
    #[oai(nullable, validator(max_length = 2000))]
    pub evidence_url: Option<Text>,
}

ok_response!(TrainerOk, TrainerView, "The trainer.");
ok_response!(TrainersOk, PageView<TrainerView>, "A page of trainers.");
created_response!(
    CompetenceCreated,
    CompetenceView,
    "The competence was recorded; `Location` is the trainer's URL."
);

#[derive(Default)]
pub struct TrainersApi;

#[OpenApi(prefix_path = "/api/v1/trainers", tag = "ApiTags::Trainers")]
impl TrainersApi {
    /// List trainers
    ///
    /// People holding the trainer role, with profile and competences (administrators).
    #[oai(path = "/", method = "get", operation_id = "list_trainers")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<TrainersOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let found = service::list_trainers(&state.db, &auth.0, &page).await?;
        Ok(TrainersOk::Ok(Json(PageView::of(found))))
    }

    /// Get a trainer
    ///
    /// Administrators see any trainer, a trainer themselves; 404 otherwise.
    #[oai(path = "/:id", method = "get", operation_id = "get_trainer")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id of the trainer.
        id: Path<Uuid>,
    ) -> ApiResult<TrainerOk, { AUTH | PARAMS | NOT_FOUND }> {
        Ok(TrainerOk::Ok(Json(
            service::get_trainer(&state.db, &auth.0, id.0).await?.into(),
        )))
    }

    /// Set a trainer's profile
    ///
    /// Internal or external; an external trainer needs a company and a contract reference.
    #[oai(path = "/:id", method = "put", operation_id = "set_trainer_profile")]
    async fn set_profile(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id of the trainer.
        id: Path<Uuid>,
        body: JsonBody<TrainerProfileRequest>,
    ) -> ApiResult<TrainerOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let body = body.0;
        let input = ProfileInput {
            kind: body.kind.into(),
            company: body.company.map(Text::into_inner),
            contract_reference: body.contract_reference.map(Text::into_inner),
        };
        let mut tx = state.begin().await?;
        let trainer = service::set_trainer_profile(&mut tx, &auth.0, id.0, input).await?;
        tx.commit().await?;
        Ok(TrainerOk::Ok(Json(trainer.into())))
    }

    /// Record a competence
    #[oai(
        path = "/:id/competences",
        method = "post",
        operation_id = "add_trainer_competence"
    )]
    async fn add_competence(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id of the trainer.
        id: Path<Uuid>,
        body: JsonBody<CompetenceRequest>,
    ) -> ApiResult<CompetenceCreated, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let body = body.0;
        let input = CompetenceInput {
            obtained_on: body.obtained_on.into_inner(),
            title: body.title.into_inner(),
            evidence_url: body.evidence_url.map(Text::into_inner),
        };
        let mut tx = state.begin().await?;
        let competence = service::add_competence(&mut tx, &auth.0, id.0, input).await?;
        tx.commit().await?;
        Ok(CompetenceCreated::Created(
            Json((&competence).into()),
            format!("/api/v1/trainers/{}", id.0),
        ))
    }
}
