//! `/api/v1/reports[/{id}]`, a report's steps, and `/api/v1/reports/receipts/{code}` for the
//! reporter. The receipt code travels in the path of one operation only, which the request log
//! redacts.

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use uuid::Uuid;

use super::report_views::{
    NewReportBody, ReportProgressView, ReportReceiptView, ReportStatusView, ReportStepBody,
    ReportView,
};
use crate::http::auth::{BearerAuth, Public};
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::quality::model::NewReport;
use crate::quality::service;
use crate::state::AppState;

/// A report's receipt (no `Location`: the receipt code is a secret, kept out of headers).
#[derive(poem_openapi::ApiResponse)]
pub enum ReportReceived {
    /// The report was received; its receipt code is shown only this once.
    #[oai(status = 201)]
    Created(Json<ReportReceiptView>),
}

ok_response!(
    ReportProgressOk,
    ReportProgressView,
    "Where the report stands."
);
ok_response!(ReportOk, ReportView, "The report with its steps.");
ok_response!(
    ReportsOk,
    PageView<ReportView>,
    "A page of reports, in order of receipt."
);

#[derive(Default)]
pub struct ReportsApi;

#[OpenApi(tag = "ApiTags::Quality")]
impl ReportsApi {
    /// Report violence, harassment or discrimination
    ///
    /// Public and confidential: anyone, with or without an account, reports violence, sexist
    /// or sexual violence, harassment or discrimination. Who reports is not recorded (a contact
    /// may be left). The answer holds a receipt code, shown only this once, with which the
    /// reporter reads where the report stands. Only the designated referents and
    /// administrators read reports. Limited per client address like complaints: 429
    /// `quality.rate_limited` with `Retry-After`.
    #[oai(
        path = "/api/v1/reports",
        method = "post",
        operation_id = "submit_report"
    )]
    async fn submit(
        &self,
        state: Data<&AppState>,
        _public: Public,
        req: &poem::Request,
        body: JsonBody<NewReportBody>,
    ) -> ApiResult<ReportReceived, { BODY | TOO_MANY }> {
        let client = crate::http::auth::client_address(req);
        let limiter = &state.quality_submissions;
        service::admit_submission(None, || limiter.admit(&client))?;
        let b = body.0;
        let new = NewReport {
            category: b.category.into(),
            text: b.text.into_inner(),
            contact: b.contact.map(|c| c.into_inner()),
        };
        let mut tx = state.begin().await?;
        let receipt = service::submit_report(&mut tx, new).await?;
        tx.commit().await?;
        Ok(ReportReceived::Created(Json(receipt.into())))
    }

    /// A report's status, by its receipt code
    ///
    /// Public: whoever holds the receipt code reads where the report stands and when each
    /// step was reached (never the notes nor who). 404 `quality.report_not_found` for any
    /// other code.
    #[oai(
        path = "/api/v1/reports/receipts/:code",
        method = "get",
        operation_id = "get_report_status"
    )]
    async fn status(
        &self,
        state: Data<&AppState>,
        _public: Public,
        /// The receipt code given at submission.
        #[oai(validator(max_length = 64))]
        code: Path<String>,
    ) -> ApiResult<ReportProgressOk, { PARAMS | NOT_FOUND }> {
        let progress = service::report_progress(&state.db, &code.0).await?;
        Ok(ReportProgressOk::Ok(Json(progress.into())))
    }

    /// List reports
    ///
    /// The designated referents and administrators; an empty list for anyone else.
    #[oai(
        path = "/api/v1/reports",
        method = "get",
        operation_id = "list_reports"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only reports at this step.
        status: Query<Option<ReportStatusView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<ReportsOk, { AUTH | PARAMS }> {
        let page = page_request(limit, cursor);
        let found =
            service::list_reports(&state.db, &auth.0, status.0.map(Into::into), &page).await?;
        Ok(ReportsOk::Ok(Json(PageView::map(found, Into::into))))
    }

    /// A report
    ///
    /// The designated referents and administrators. 404 `quality.report_not_found` for anyone
    /// else (the reporter reads theirs with the receipt code).
    #[oai(
        path = "/api/v1/reports/:id",
        method = "get",
        operation_id = "get_report"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The report.
        id: Path<Uuid>,
    ) -> ApiResult<ReportOk, { AUTH | PARAMS | NOT_FOUND }> {
        let report = service::get_report(&state.db, &auth.0, id.0).await?;
        Ok(ReportOk::Ok(Json(report.into())))
    }

    /// Record a report's next step
    ///
    /// The designated referents and administrators: records the step after the report's
    /// current one (acknowledged, in progress, closed) with its note, now and by whom. 404
    /// `quality.report_not_found` (anyone else too); 409 `quality.report_step_out_of_order`
    /// (a step skipped or repeated); 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/reports/:id/steps",
        method = "post",
        operation_id = "record_report_step"
    )]
    async fn step(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The report.
        id: Path<Uuid>,
        body: JsonBody<ReportStepBody>,
    ) -> ApiResult<ReportOk, { AUTH | PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        let b = body.0;
        let mut tx = state.begin().await?;
        let report =
            service::record_report_step(&mut tx, &auth.0, id.0, b.step.into(), b.note.into_inner())
                .await?;
        tx.commit().await?;
        Ok(ReportOk::Ok(Json(report.into())))
    }
}
