//! `GET /api/v1/evidence/report`: the Qualiopi evidence report over a period (administrators).

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;

use super::views::ReportView;
use crate::evidence::service::{self, EvidenceRules};
use crate::http::auth::BearerAuth;
use crate::http::day_param::DayParam;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::quality::model::surveys::SurveyRules;
use crate::quality::service::AcknowledgeDelay;
use crate::state::AppState;

ok_response!(ReportOk, ReportView, "The evidence report over the period.");

#[derive(Default)]
pub struct EvidenceApi;

#[OpenApi(tag = "ApiTags::Evidence")]
impl EvidenceApi {
    /// Qualiopi evidence report
    ///
    /// Administrators, before an audit: for each indicator of the referential in force over the
    /// period (V9 up to 2026-10-31, V10 from 2026-11-01; a period straddling that date reports
    /// each part under its own version), its status — `present`, `partial`, `missing` or
    /// `not_applicable` with the reason — the figures computed from the records (sessions whose
    /// first half-day falls in the part, their trainees, the quality registers), each gap linked
    /// to the record that lacks its evidence, and the records the figures rest on. It never
    /// declares conformity. Days are Paris days, both included; at most two years. 404
    /// `evidence.not_found` for anyone but an administrator; 422 `evidence.invalid` (`to` before
    /// `from`, or a period over two years).
    #[oai(
        path = "/api/v1/evidence/report",
        method = "get",
        operation_id = "get_evidence_report"
    )]
    async fn report(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The first day of the period (`YYYY-MM-DD`).
        from: Query<DayParam>,
        /// The last day of the period (`YYYY-MM-DD`).
        to: Query<DayParam>,
    ) -> ApiResult<ReportOk, { AUTH | PARAMS | NOT_FOUND | UNPROCESSABLE }> {
        let rules = EvidenceRules {
            acknowledge: AcknowledgeDelay::days(state.settings.complaint_acknowledge_days),
            surveys: SurveyRules::of(&state.settings),
        };
        let report = service::report(
            &state.db,
            &auth.0,
            &rules,
            from.0.0,
            to.0.0,
            state.clock.now(),
        )
        .await?;
        Ok(ReportOk::Ok(Json(report.into())))
    }
}
