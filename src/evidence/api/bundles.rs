//! `/api/v1/evidence/bundles`: audit bundles (administrators).

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use uuid::Uuid;

use super::bundle_views::{BundleAccepted, BundleArchive, BundleView, NewBundleBody};
use crate::evidence::bundles::{self, BundleRequest};
use crate::evidence::service::EvidenceError;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::state::AppState;

ok_response!(BundleOk, BundleView, "The bundle and its job's progress.");

#[derive(Default)]
pub struct BundlesApi;

#[OpenApi(tag = "ApiTags::Evidence")]
impl BundlesApi {
    /// Request an audit bundle
    ///
    /// Administrators, before an audit: starts a job that writes one ZIP for the period — the
    /// evidence report (JSON and PDF), per session of the sample its attendance sheet, valid
    /// certificates, convocations and survey results, the complaints received and improvement
    /// actions opened in the period, and `manifeste.json` with every file's SHA-256. The sample
    /// is the sessions given, or up to 10 drawn at random among those whose first half-day
    /// falls in the period (the seed is returned). Answers 202 at once; follow the job at
    /// `Location`. A job interrupted by a restart resumes at its first unwritten file (after
    /// three interruptions it fails with the reason). 404 `evidence.not_found` for anyone but
    /// an administrator; 422 `evidence.invalid` (a backwards or over-long period, a session
    /// outside it).
    #[oai(
        path = "/api/v1/evidence/bundles",
        method = "post",
        operation_id = "create_evidence_bundle"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<NewBundleBody>,
    ) -> ApiResult<BundleAccepted, { AUTH | BODY | NOT_FOUND }> {
        let body = body.0;
        let request = BundleRequest {
            from: body.from.into_inner(),
            to: body.to.into_inner(),
            sessions: body.sessions.get(),
            seed: body.seed.get(),
        };
        let bundle = bundles::request(&state, &auth.0, request).await?;
        let location = format!("/api/v1/evidence/bundles/{}", bundle.id);
        Ok(BundleAccepted::Accepted(Json(bundle.into()), location))
    }

    /// Get an audit bundle
    ///
    /// Its job's progress (`done` of `total` files, `percent`, the current `step`) and, once
    /// `ready`, the link to its archive; `failed` says why. 404 `evidence.not_found` for anyone
    /// but an administrator, or an unknown bundle.
    #[oai(
        path = "/api/v1/evidence/bundles/:id",
        method = "get",
        operation_id = "get_evidence_bundle"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Bundle id.
        id: Path<Uuid>,
    ) -> ApiResult<BundleOk, { AUTH | PARAMS | NOT_FOUND }> {
        let bundle = bundles::get(&state, &auth.0, id.0).await?;
        Ok(BundleOk::Ok(Json(bundle.into())))
    }

    /// Download an audit bundle
    ///
    /// The ZIP of a `ready` bundle, streamed from disk. 409 `evidence.bundle_not_ready` while
    /// its job runs or once it failed; 404 `evidence.not_found` for anyone but an administrator,
    /// or an unknown bundle.
    #[oai(
        path = "/api/v1/evidence/bundles/:id/archive",
        method = "get",
        operation_id = "download_evidence_bundle"
    )]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Bundle id.
        id: Path<Uuid>,
    ) -> ApiResult<BundleArchive, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let path = bundles::archive_path(&state, &auth.0, id.0).await?;
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| EvidenceError::Db(sea_orm::DbErr::Custom(format!("the archive: {e}"))))?;
        Ok(BundleArchive::Zip(
            Binary(poem::Body::from_async_read(file)),
            format!("attachment; filename=\"preuves-{}.zip\"", id.0),
            "private, no-store".into(),
        ))
    }
}
