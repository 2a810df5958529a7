//! `/api/v1/complaints[/{id}]` and the steps of a complaint: acknowledgement, answer, closure.

use poem::web::{Accept, Data};
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use uuid::Uuid;

use super::complaint_views::{
    ComplaintAnswerBody, ComplaintClosureBody, ComplaintStatusView, ComplaintView, NewComplaintBody,
};
use crate::http::auth::{BearerAuth, Public, optional_caller};
use crate::http::error::status::*;
use crate::http::error::{ApiError, ApiResult};
use crate::http::formats::{Format, LIST_FORMATS, listed_response};
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::paging::every;
use crate::principal::Principal;
use crate::quality::model::{ComplaintFilter, ComplaintStatus, NewComplaint};
use crate::quality::service::{self, AcknowledgeDelay};
use crate::state::AppState;

created_response!(
    ComplaintCreated,
    ComplaintView,
    "The complaint was received; `Location` is its URL."
);
ok_response!(ComplaintOk, ComplaintView, "The complaint.");
listed_response!(
    ComplaintsOk,
    ComplaintsContent,
    PageView<ComplaintView>,
    "A page of complaints, in order of receipt."
);

fn delay(state: &AppState) -> AcknowledgeDelay {
    AcknowledgeDelay::days(state.settings.complaint_acknowledge_days)
}

#[derive(Default)]
pub struct ComplaintsApi;

#[OpenApi(tag = "ApiTags::Quality")]
impl ComplaintsApi {
    /// File a complaint
    ///
    /// Public: anyone, with or without an account, by any channel (an administrator records
    /// those received by phone, letter or in person). With a bearer token the complaint is
    /// filed by its holder, who may read it later. It may concern a session, a training or a
    /// club, which must exist (422 `quality.invalid` otherwise). Public submissions are limited
    /// per client address (`--quality-submissions-per-address` within
    /// `--quality-submissions-window-secs`; administrators are not counted): then 429
    /// `quality.rate_limited` with `Retry-After`. 401 `auth.invalid_token` for a token that is
    /// not valid.
    #[oai(
        path = "/api/v1/complaints",
        method = "post",
        operation_id = "submit_complaint"
    )]
    async fn submit(
        &self,
        state: Data<&AppState>,
        _public: Public,
        req: &poem::Request,
        body: JsonBody<NewComplaintBody>,
    ) -> ApiResult<ComplaintCreated, { BODY | UNAUTHORIZED | TOO_MANY }> {
        let caller = optional_caller(req).await?;
        let client = crate::http::auth::client_address(req);
        let limiter = &state.quality_submissions;
        service::admit_submission(caller.as_ref(), || limiter.admit(&client))?;
        let b = body.0;
        let new = NewComplaint {
            channel: b.channel.into(),
            contact: b.contact.into_inner(),
            text: b.text.into_inner(),
            session_id: b.session_id,
            training_id: b.training_id,
            club_id: b.club_id,
        };
        let mut tx = state.begin().await?;
        let complaint =
            service::submit_complaint(&mut tx, caller.as_ref(), new, delay(&state)).await?;
        tx.commit().await?;
        let location = format!("/api/v1/complaints/{}", complaint.id);
        Ok(ComplaintCreated::Created(Json(complaint.into()), location))
    }

    /// List complaints
    ///
    /// Administrators: the register; anyone else: the complaints they filed with their
    /// account. `overdue=true` keeps those not acknowledged within
    /// `--complaint-acknowledge-days` (7 by default) of their receipt.
    #[oai(
        path = "/api/v1/complaints",
        method = "get",
        operation_id = "list_complaints"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only complaints at this status.
        status: Query<Option<ComplaintStatusView>>,
        /// Only complaints not acknowledged within the delay.
        overdue: Query<Option<bool>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
        accept: Accept,
    ) -> ApiResult<ComplaintsOk, { AUTH | PARAMS }> {
        let page = page_request(limit, cursor);
        let filter = ComplaintFilter {
            status: status.0.map(Into::into),
            overdue: overdue.0.unwrap_or(false),
        };
        let format = Format::chosen(&accept, LIST_FORMATS);
        if format != Format::Json {
            let (now, delay) = (state.clock.now(), delay(&state));
            let all = every!(|page| service::list_complaints(
                &state.db, &auth.0, filter, page, now, delay
            ));
            return Ok(ComplaintsOk::sheet(
                &service::complaints_table(&all),
                format,
                "reclamations",
            )?);
        }
        let found = service::list_complaints(
            &state.db,
            &auth.0,
            filter,
            &page,
            state.clock.now(),
            delay(&state),
        )
        .await?;
        Ok(ComplaintsOk::page(PageView::map(found, Into::into)))
    }

    /// A complaint
    ///
    /// Administrators, and the person who filed it with their account. 404
    /// `quality.complaint_not_found` for anyone else.
    #[oai(
        path = "/api/v1/complaints/:id",
        method = "get",
        operation_id = "get_complaint"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The complaint.
        id: Path<Uuid>,
    ) -> ApiResult<ComplaintOk, { AUTH | PARAMS | NOT_FOUND }> {
        let complaint =
            service::get_complaint(&state.db, &auth.0, id.0, state.clock.now(), delay(&state))
                .await?;
        Ok(ComplaintOk::Ok(Json(complaint.into())))
    }

    /// Acknowledge a complaint
    ///
    /// Administrators: records now, and by whom, that its receipt was acknowledged. 403
    /// `quality.forbidden`; 404 `quality.complaint_not_found`; 409 `quality.complaint_step_done`
    /// (already acknowledged).
    #[oai(
        path = "/api/v1/complaints/:id/acknowledgement",
        method = "post",
        operation_id = "acknowledge_complaint"
    )]
    async fn acknowledge(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The complaint.
        id: Path<Uuid>,
    ) -> ApiResult<ComplaintOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        self.advance(&state, &auth.0, id.0, ComplaintStatus::Acknowledged, None)
            .await
            .map_err(Into::into)
    }

    /// Answer a complaint
    ///
    /// Administrators: records the answer given, now and by whom. 403 `quality.forbidden`; 404
    /// `quality.complaint_not_found`; 409 `quality.complaint_not_acknowledged` (acknowledge it
    /// first), `quality.complaint_step_done` (already answered); 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/complaints/:id/answer",
        method = "post",
        operation_id = "answer_complaint"
    )]
    async fn answer(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The complaint.
        id: Path<Uuid>,
        body: JsonBody<ComplaintAnswerBody>,
    ) -> ApiResult<ComplaintOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let answer = body.0.answer.into_inner();
        self.advance(
            &state,
            &auth.0,
            id.0,
            ComplaintStatus::Answered,
            Some(answer),
        )
        .await
        .map_err(Into::into)
    }

    /// Close a complaint
    ///
    /// Administrators: records its outcome, now and by whom. 403 `quality.forbidden`; 404
    /// `quality.complaint_not_found`; 409 `quality.complaint_not_acknowledged`,
    /// `quality.complaint_not_answered` (a step is missing), `quality.complaint_step_done`
    /// (already closed); 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/complaints/:id/closure",
        method = "post",
        operation_id = "close_complaint"
    )]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The complaint.
        id: Path<Uuid>,
        body: JsonBody<ComplaintClosureBody>,
    ) -> ApiResult<ComplaintOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let outcome = body.0.outcome.into_inner();
        self.advance(
            &state,
            &auth.0,
            id.0,
            ComplaintStatus::Closed,
            Some(outcome),
        )
        .await
        .map_err(Into::into)
    }
}

impl ComplaintsApi {
    async fn advance(
        &self,
        state: &AppState,
        principal: &Principal,
        id: Uuid,
        to: ComplaintStatus,
        text: Option<String>,
    ) -> Result<ComplaintOk, ApiError> {
        let mut tx = state.begin().await?;
        let complaint =
            service::advance_complaint(&mut tx, principal, id, to, text, delay(state)).await?;
        tx.commit().await?;
        Ok(ComplaintOk::Ok(Json(complaint.into())))
    }
}
