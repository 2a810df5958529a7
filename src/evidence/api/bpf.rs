//! `GET /api/v1/evidence/bpf`: the yearly BPF (administrators), in JSON, CSV or XLSX.

use poem::web::{Accept, Data};
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json};

use super::bpf_views::{BpfContent, BpfOk, table};
use crate::evidence::service::{EvidenceError, bpf};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, attachment, spreadsheet};
use crate::http::tags::ApiTags;
use crate::state::AppState;

/// The formats the BPF answers in, the first the default.
const OFFERED: &[Format] = &[Format::Json, Format::Csv, Format::Xlsx];

#[derive(Default)]
pub struct BpfApi;

#[OpenApi(tag = "ApiTags::Evidence")]
impl BpfApi {
    /// Bilan pédagogique et financier (BPF)
    ///
    /// Administrators, for the yearly BPF (cerfa 10443*17) of a calendar year, computed from the
    /// half-days attended in it (present in full, late less the minutes missed; absent and
    /// excused count nothing): a session run over two years counts each half-day in the year of
    /// its date. Training sessions only (club meetings are not trainings), published or closed
    /// and counted in the BPF (`bpf_scope`). Frames F-1 (trainees and hours by trainee type),
    /// F-3 (by the training's general objective), F-4 (by NSF speciality), C (the funding the
    /// sessions' confirmed enrolments record, by source; an amount of a session run over two
    /// years is split like its attended half-days) and E (internal and external trainers, the
    /// hours of the attended half-days they taught). A figure the records do not allow — a
    /// training without its objective or NSF code, an enrolment without its amount, a trainer
    /// without a profile — is listed in `missing` with the record to complete, and `complete`
    /// is false; nothing is guessed. JSON by default; `Accept: text/csv` or the XLSX media type
    /// give the same figures as a table with French headers. 404 `evidence.not_found` for
    /// anyone but an administrator; 400 `request.invalid_parameter` without a year or for one
    /// outside 2000–2100.
    #[oai(
        path = "/api/v1/evidence/bpf",
        method = "get",
        operation_id = "get_bpf"
    )]
    async fn bpf(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        accept: Accept,
        /// The calendar (fiscal) year, e.g. `2026`.
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))]
        year: Query<i32>,
    ) -> ApiResult<BpfOk, { AUTH | PARAMS | NOT_FOUND }> {
        let bpf = bpf::bpf(&state.db, &auth.0, year.0).await?;
        let format = Format::chosen(&accept, OFFERED);
        let private = "private, no-store".to_owned();
        let Some(bytes) = spreadsheet(&table(&bpf), format) else {
            return Ok(BpfOk::Ok(BpfContent::Json(Json(bpf.into())), None, private));
        };
        let bytes = bytes.map_err(|e| EvidenceError::Db(sea_orm::DbErr::Custom(e)))?;
        let name = Some(attachment(&format!("bpf-{}", bpf.year), format));
        let content = match format {
            Format::Xlsx => BpfContent::Xlsx(Binary(bytes)),
            _ => BpfContent::Csv(Binary(bytes)),
        };
        Ok(BpfOk::Ok(content, name, private))
    }
}
