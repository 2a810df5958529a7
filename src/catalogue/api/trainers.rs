//! Trainers: profiles and competence records (administrators; a trainer reads their own).

use chrono::NaiveDate;
use entity::trainer_competence;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use crate::catalogue::service::{self, CompetenceInput, ProfileInput, Trainer, TrainerKind};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::pagination::PageRequest;
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
    #[oai(nullable)]
    pub evidence_url: Option<String>,
}

impl From<&trainer_competence::Model> for CompetenceView {
    fn from(c: &trainer_competence::Model) -> Self {
        Self {
            id: c.id,
            obtained_on: c.obtained_on,
            title: c.title.clone(),
            evidence_url: c.evidence_url.clone(),
        }
    }
}

/// A trainer.
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
    /// Internal staff or external subcontractor (`internal` until a profile says otherwise).
    pub kind: TrainerKind,
    /// Subcontractor's company.
    #[oai(nullable)]
    pub company: Option<String>,
    /// Subcontracting contract reference.
    #[oai(nullable)]
    pub contract_reference: Option<String>,
    /// Competence records, oldest first.
    pub competences: Vec<CompetenceView>,
}

impl From<Trainer> for TrainerView {
    fn from(t: Trainer) -> Self {
        Self {
            person_id: t.person.id,
            first_name: t.person.first_name,
            last_name: t.person.last_name,
            email: t.person.email,
            kind: t.kind,
            company: t.company,
            contract_reference: t.contract_reference,
            competences: t.competences.iter().map(Into::into).collect(),
        }
    }
}

/// A trainer's profile.
#[derive(Debug, Object)]
pub struct TrainerProfileRequest {
    /// Internal or external.
    pub kind: TrainerKind,
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
    pub obtained_on: NaiveDate,
    /// Title.
    #[oai(validator(min_length = 1, max_length = 300))]
    pub title: Text,
    /// Link to the evidence (http or https).
    #[oai(nullable, validator(max_length = 2000))]
    pub evidence_url: Option<Text>,
}

/// A page of trainers.
#[derive(Debug, Object)]
pub struct TrainersPage {
    /// Trainers, by person id.
    pub items: Vec<TrainerView>,
    /// Cursor of the next page; `null` on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

crate::ok_response!(TrainerOk, TrainerView, "The trainer.");
crate::ok_response!(TrainersOk, TrainersPage, "A page of trainers.");
crate::created_response!(
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
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u32>>,
        /// Cursor from the previous page's `next_cursor`.
        #[oai(validator(pattern = r"^[A-Za-z0-9_-]{22}$"))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<TrainersOk> {
        let page = PageRequest::parse(limit.0, cursor.0.as_deref())?;
        let rows = service::list_trainers(&state.db, &auth.0, page.after, page.fetch()).await?;
        let (items, next_cursor) = page.finish(rows, |t| t.person.id);
        Ok(TrainersOk::Ok(Json(TrainersPage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
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
    ) -> ApiResult<TrainerOk> {
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
        body: Json<TrainerProfileRequest>,
    ) -> ApiResult<TrainerOk> {
        let body = body.0;
        let input = ProfileInput {
            kind: body.kind,
            company: body.company.map(Text::into_inner),
            contract_reference: body.contract_reference.map(Text::into_inner),
        };
        Ok(TrainerOk::Ok(Json(
            service::set_trainer_profile(&state.db, &auth.0, id.0, input)
                .await?
                .into(),
        )))
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
        body: Json<CompetenceRequest>,
    ) -> ApiResult<CompetenceCreated> {
        let body = body.0;
        let input = CompetenceInput {
            obtained_on: body.obtained_on,
            title: body.title.into_inner(),
            evidence_url: body.evidence_url.map(Text::into_inner),
        };
        let competence = service::add_competence(&state.db, &auth.0, id.0, input).await?;
        Ok(CompetenceCreated::Created(
            Json((&competence).into()),
            format!("/api/v1/trainers/{}", id.0),
        ))
    }
}
