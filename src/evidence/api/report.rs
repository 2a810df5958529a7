//! `GET /api/v1/evidence/report`: the Qualiopi evidence report over a period (administrators).

use poem::web::{Accept, Data};
use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi, ResponseContent};

use super::views::ReportView;
use crate::evidence::service::{self, EvidenceRules};
use crate::http::auth::BearerAuth;
use crate::http::day_param::DayParam;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, attachment};
use crate::http::tags::ApiTags;
use crate::quality::model::surveys::SurveyRules;
use crate::quality::service::AcknowledgeDelay;
use crate::state::AppState;

/// The report in the format the `Accept` header asks for.
#[derive(ResponseContent)]
pub enum ReportBody {
    Json(Json<ReportView>),
    /// The report in French for the auditor, a PDF/A-2b file.
    #[oai(content_type = "application/pdf")]
    Pdf(Binary<Vec<u8>>),
}

#[derive(ApiResponse)]
pub enum ReportOk {
    /// The evidence report over the period: JSON by default, a PDF when `Accept` asks for
    /// `application/pdf` (then `Content-Disposition` names the file,
    /// `rapport-qualiopi-<from>-<to>.pdf`).
    #[oai(status = 200)]
    Ok(
        ReportBody,
        #[oai(header = "Content-Disposition")] Option<String>,
    ),
}

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
    /// declares conformity. Days are Paris days, both included; at most two years. With
    /// `Accept: application/pdf` the same report comes as a French PDF/A-2b for the auditor
    /// (statuses, figures, gaps, charts of indicators 30 to 32) to download. 404
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
        accept: Accept,
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
        if Format::chosen(&accept, &[Format::Json, Format::Pdf]) == Format::Pdf {
            let pdf = service::render_report(&state.renderer, &report).await?;
            let name = attachment(&service::file_stem(&report), Format::Pdf);
            return Ok(ReportOk::Ok(ReportBody::Pdf(Binary(pdf)), Some(name)));
        }
        Ok(ReportOk::Ok(ReportBody::Json(Json(report.into())), None))
    }
}
