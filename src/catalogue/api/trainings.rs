//! Administrators' trainings: drafts, publication, dated versions.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::vocabulary::{ProgrammeView, ThemeView, TrainingStatusView};
use crate::catalogue::model::{Training, TrainingFilter, TrainingVersion};
use crate::catalogue::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// A training and its programme.
///
/// - `status`: Draft, published or archived.
/// - `programme`: The programme, as the catalogue states it.
#[derive(Debug, Object)]
pub struct TrainingView {
    /// Identifier.
    pub id: Uuid,
    pub status: TrainingStatusView,
    /// Number of the published version in force (0 before the first publication).
    pub current_version: i32,
    pub programme: ProgrammeView,
    /// Creation time (UTC).
    pub created_at: Timestamp,
    /// Last change (UTC).
    pub updated_at: Timestamp,
}

impl From<Training> for TrainingView {
    fn from(t: Training) -> Self {
        Self {
            id: t.id,
            status: t.status.into(),
            current_version: t.current_version,
            programme: t.programme.into(),
            created_at: t.created_at.into(),
            updated_at: t.updated_at.into(),
        }
    }
}

/// A dated version: what the catalogue said from `effective_from` until the next version.
///
/// - `programme`: The programme as published.
#[derive(Debug, Object)]
pub struct TrainingVersionView {
    /// Version number (1, 2, …).
    pub number: i32,
    /// When this version came into force (UTC).
    pub effective_from: Timestamp,
    pub programme: ProgrammeView,
    /// Administrator who published it.
    pub published_by: Uuid,
}

impl From<TrainingVersion> for TrainingVersionView {
    fn from(v: TrainingVersion) -> Self {
        Self {
            number: v.number,
            effective_from: v.effective_from.into(),
            programme: v.programme.into(),
            published_by: v.published_by,
        }
    }
}

/// Every version of a training.
#[derive(Debug, Object)]
pub struct TrainingVersions {
    /// Versions, oldest first.
    pub items: Vec<TrainingVersionView>,
}

ok_response!(TrainingOk, TrainingView, "The training.");
created_response!(
    TrainingCreated,
    TrainingView,
    "The draft training was created; `Location` is its URL."
);
ok_response!(TrainingsOk, PageView<TrainingView>, "A page of trainings.");
ok_response!(VersionsOk, TrainingVersions, "The versions, oldest first.");
ok_response!(
    VersionOk,
    TrainingVersionView,
    "The version in force at that time."
);

#[derive(Default)]
pub struct TrainingsApi;

#[OpenApi(prefix_path = "/api/v1/trainings", tag = "ApiTags::Trainings")]
impl TrainingsApi {
    /// List trainings
    ///
    /// Every training, drafts and archived included (administrators).
    #[oai(path = "/", method = "get", operation_id = "list_trainings")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only trainings in this status.
        status: Query<Option<TrainingStatusView>>,
        /// Only trainings with this theme.
        theme: Query<Option<ThemeView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<TrainingsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let filter = TrainingFilter {
            status: status.0.map(Into::into),
            theme: theme.0.map(Into::into),
        };
        let found = service::list_trainings(&state.db, &auth.0, filter, &page).await?;
        Ok(TrainingsOk::Ok(Json(PageView::of(found))))
    }

    /// Create a training
    ///
    /// Creates a draft with a complete programme (administrators). Every field the catalogue must
    /// state is checked; problems are listed by field (422).
    #[oai(path = "/", method = "post", operation_id = "create_training")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<ProgrammeView>,
    ) -> ApiResult<TrainingCreated, { AUTH | BODY | FORBIDDEN }> {
        let mut tx = state.begin().await?;
        let training = service::create_training(&mut tx, &auth.0, body.0.into()).await?;
        tx.commit().await?;
        let location = format!("/api/v1/trainings/{}", training.id);
        Ok(TrainingCreated::Created(Json(training.into()), location))
    }

    /// Get a training
    #[oai(path = "/:id", method = "get", operation_id = "get_training")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
    ) -> ApiResult<TrainingOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        Ok(TrainingOk::Ok(Json(
            service::get_training(&state.db, &auth.0, id.0)
                .await?
                .into(),
        )))
    }

    /// Replace a training's programme
    ///
    /// On a published training, the change is published at once as a new dated version; the
    /// previous version stays readable. Archived trainings cannot be edited (409).
    #[oai(path = "/:id", method = "put", operation_id = "update_training")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
        body: JsonBody<ProgrammeView>,
    ) -> ApiResult<TrainingOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let training = service::update_training(&mut tx, &auth.0, id.0, body.0.into()).await?;
        tx.commit().await?;
        Ok(TrainingOk::Ok(Json(training.into())))
    }

    /// Publish a training
    ///
    /// Puts the training in the public catalogue as a new dated version (nothing changes if it
    /// is already published).
    #[oai(
        path = "/:id/publish",
        method = "post",
        operation_id = "publish_training"
    )]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
    ) -> ApiResult<TrainingOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        let training = service::publish_training(&mut tx, &auth.0, id.0).await?;
        tx.commit().await?;
        Ok(TrainingOk::Ok(Json(training.into())))
    }

    /// Archive a training
    ///
    /// Withdraws the training from the catalogue; its versions stay readable.
    #[oai(
        path = "/:id/archive",
        method = "post",
        operation_id = "archive_training"
    )]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
    ) -> ApiResult<TrainingOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        let training = service::archive_training(&mut tx, &auth.0, id.0).await?;
        tx.commit().await?;
        Ok(TrainingOk::Ok(Json(training.into())))
    }

    /// List a training's versions
    ///
    /// Every published version with the date it came into force (administrators, auditors).
    #[oai(
        path = "/:id/versions",
        method = "get",
        operation_id = "list_training_versions"
    )]
    async fn versions(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
    ) -> ApiResult<VersionsOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let items = service::training_versions(&state.db, &auth.0, id.0).await?;
        Ok(VersionsOk::Ok(Json(TrainingVersions {
            items: items.into_iter().map(Into::into).collect(),
        })))
    }

    /// The version in force at a time
    ///
    /// What the catalogue stated for this training at `at`; 404 before its first publication.
    #[oai(
        path = "/:id/versions/in-force",
        method = "get",
        operation_id = "get_training_version_in_force"
    )]
    async fn in_force(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Training id.
        id: Path<Uuid>,
        /// The instant (RFC 3339).
        at: Query<DateTime<Utc>>,
    ) -> ApiResult<VersionOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        Ok(VersionOk::Ok(Json(
            service::training_version_at(&state.db, &auth.0, id.0, at.0)
                .await?
                .into(),
        )))
    }
}
