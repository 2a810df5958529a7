//! `/api/v1/sync`: what administrators review — conflicts, the quarantine of revoked devices —
//! and tombstone GC on demand.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Enum, OpenApi};
use uuid::Uuid;

use super::{ConflictView, GcView, QuarantinedView, ReasonBody};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::state::AppState;
use crate::sync::model::{ConflictStatus, MutationStatus};
use crate::sync::service;

ok_response!(
    ConflictsOk,
    Vec<ConflictView>,
    "The conflicts, newest first."
);
ok_response!(
    QuarantineOk,
    Vec<QuarantinedView>,
    "The mutations, oldest first."
);
ok_response!(QuarantinedOk, QuarantinedView, "The mutation, decided.");
ok_response!(GcOk, GcView, "What the run did.");

/// A conflict's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ConflictStatusView {
    /// Nobody looked at it yet.
    Open,
    /// Someone involved saw it.
    Acknowledged,
    /// Someone involved acted on it.
    Resolved,
}

/// A quarantined mutation's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum QuarantineStatusView {
    /// Waiting for a decision.
    Quarantined,
    /// Accepted: applied when decided.
    Accepted,
    /// Discarded: never applied.
    Discarded,
}

#[derive(Default)]
pub struct SyncReviewApi;

#[OpenApi(tag = "ApiTags::Sync")]
impl SyncReviewApi {
    /// Conflicts devices ran into
    ///
    /// Administrators. Each keeps the winning and the losing value and the rule that decided.
    /// 403 `sync.forbidden`.
    #[oai(
        path = "/api/v1/sync/conflicts",
        method = "get",
        operation_id = "list_sync_conflicts"
    )]
    async fn conflicts(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only conflicts in this state.
        status: Query<Option<ConflictStatusView>>,
    ) -> ApiResult<ConflictsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let status = status.0.map(|s| match s {
            ConflictStatusView::Open => ConflictStatus::Open,
            ConflictStatusView::Acknowledged => ConflictStatus::Acknowledged,
            ConflictStatusView::Resolved => ConflictStatus::Resolved,
        });
        let list = service::conflicts(&state.db, &auth.0, status).await?;
        Ok(ConflictsOk::Ok(Json(
            list.into_iter().map(Into::into).collect(),
        )))
    }

    /// What revoked devices pushed
    ///
    /// Administrators: the mutations kept unapplied (`quarantined`, the default), or those
    /// already `accepted` or `discarded`. 403 `sync.forbidden`.
    #[oai(
        path = "/api/v1/sync/quarantine",
        method = "get",
        operation_id = "list_quarantine"
    )]
    async fn quarantine(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Which mutations (default `quarantined`).
        status: Query<Option<QuarantineStatusView>>,
    ) -> ApiResult<QuarantineOk, { AUTH | PARAMS | FORBIDDEN }> {
        let status = match status.0.unwrap_or(QuarantineStatusView::Quarantined) {
            QuarantineStatusView::Quarantined => MutationStatus::Quarantined,
            QuarantineStatusView::Accepted => MutationStatus::Accepted,
            QuarantineStatusView::Discarded => MutationStatus::Discarded,
        };
        let list = service::quarantined(&state.db, &auth.0, status).await?;
        Ok(QuarantineOk::Ok(Json(
            list.into_iter().map(Into::into).collect(),
        )))
    }

    /// Accept a quarantined mutation
    ///
    /// Administrators, with a reason: it is applied now, as its device's person, by the same
    /// rules as a push (its `result` says what became of it). 403 `sync.forbidden`; 404
    /// `sync.mutation_not_found`; 409 `sync.not_quarantined` (already decided); 422
    /// `sync.invalid`.
    #[oai(
        path = "/api/v1/sync/quarantine/:device_id/:seq/accept",
        method = "post",
        operation_id = "accept_quarantined"
    )]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The device.
        device_id: Path<Uuid>,
        /// The mutation's sequence number.
        seq: Path<i64>,
        body: JsonBody<ReasonBody>,
    ) -> ApiResult<QuarantinedOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        self.decide(
            &state,
            &auth,
            device_id.0,
            seq.0,
            true,
            body.0.reason.as_str(),
        )
        .await
    }

    /// Discard a quarantined mutation
    ///
    /// Administrators, with a reason: it is never applied, and stays listed as `discarded`.
    /// 403 `sync.forbidden`; 404 `sync.mutation_not_found`; 409 `sync.not_quarantined`; 422
    /// `sync.invalid`.
    #[oai(
        path = "/api/v1/sync/quarantine/:device_id/:seq/discard",
        method = "post",
        operation_id = "discard_quarantined"
    )]
    async fn discard(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The device.
        device_id: Path<Uuid>,
        /// The mutation's sequence number.
        seq: Path<i64>,
        body: JsonBody<ReasonBody>,
    ) -> ApiResult<QuarantinedOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        self.decide(
            &state,
            &auth,
            device_id.0,
            seq.0,
            false,
            body.0.reason.as_str(),
        )
        .await
    }

    /// Collect sync tombstones now
    ///
    /// Administrators. The server also does it every hour: tombstones older than
    /// `PASSERELLE_SYNC_RETENTION_DAYS` go, and devices whose cursor is older get `reset`.
    /// 403 `sync.forbidden`.
    #[oai(
        path = "/api/v1/sync/gc",
        method = "post",
        operation_id = "collect_sync_tombstones"
    )]
    async fn gc(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<GcOk, { AUTH | FORBIDDEN }> {
        if !auth.0.is_admin() {
            return Err(
                service::SyncError::Forbidden("only administrators run the sync GC").into(),
            );
        }
        let done =
            service::collect(&state.db, &state.clock, state.settings.sync_retention_days).await?;
        Ok(GcOk::Ok(Json(GcView {
            gc_version: done.gc_version,
            purged: done.purged,
            version: done.version,
        })))
    }
}

impl SyncReviewApi {
    async fn decide<const S: u32>(
        &self,
        state: &AppState,
        auth: &BearerAuth,
        device_id: Uuid,
        seq: i64,
        accept: bool,
        reason: &str,
    ) -> ApiResult<QuarantinedOk, S> {
        let mut tx = state.begin().await.map_err(service::SyncError::from)?;
        let decided = service::decide_quarantined(
            &mut tx,
            &state.settings,
            &auth.0,
            device_id,
            seq,
            accept,
            reason,
        )
        .await?;
        tx.commit().await.map_err(service::SyncError::from)?;
        Ok(QuarantinedOk::Ok(Json(decided.into())))
    }
}
