//! `/api/v1/attendance`: attendance over a period, across sessions.

use poem::web::{Accept, Data};
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use uuid::Uuid;

use super::SheetView;
use crate::attendance::service::{self, AttendancePeriod};
use crate::http::auth::BearerAuth;
use crate::http::day_param::DayParam;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, LIST_FORMATS, listed_response};
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::tags::ApiTags;
use crate::paging::every;
use crate::state::AppState;

listed_response!(
    AttendanceOk,
    AttendanceContent,
    PageView<SheetView>,
    "A page of sessions, each with its attendance sheet limited to its half-days in the period \
     (minutes count those half-days only).",
    "With `Accept: text/csv` (French dialect: UTF-8 BOM, `;`, dd/mm/yyyy) or the XLSX media \
     type: every row of the period (`limit` and `cursor` ignored), one per confirmed trainee \
     and half-day, in time order, as a download (`emargements-<from>-<to>`) with French \
     headers and the dates and times local to each session's time zone."
);

#[derive(Default)]
pub struct PeriodAttendanceApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl PeriodAttendanceApi {
    /// Attendance over a period
    ///
    /// Every published or closed session with a half-day whose local date falls in the period
    /// (both days included), each with its sheet limited to those half-days: administrators
    /// see every session, trainers the sessions they teach; 403 `attendance.forbidden` for
    /// anyone else. Pages hold sessions, by id. With `Accept: text/csv` or the XLSX media type,
    /// every row of the period as a spreadsheet: one per confirmed trainee and half-day
    /// (session, training, date, morning or afternoon, local start and end, trainee,
    /// organisation, status, minutes late, signed, local signing time, minutes attended,
    /// countersigned by the trainer). 400 `request.invalid_parameter` for a missing or
    /// malformed day; 422 `attendance.invalid` (`fields.to`) for `to` before `from` or a
    /// period over a year (366 days from `from` to `to`).
    #[oai(
        path = "/api/v1/attendance",
        method = "get",
        operation_id = "list_attendance"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The first day of the period (`YYYY-MM-DD`, local to each session).
        from: Query<DayParam>,
        /// The last day of the period (`YYYY-MM-DD`, included).
        to: Query<DayParam>,
        /// Only the sessions of this training.
        training_id: Query<Option<Uuid>>,
        /// Page size in sessions (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
        accept: Accept,
    ) -> ApiResult<AttendanceOk, { AUTH | PARAMS | FORBIDDEN | UNPROCESSABLE }> {
        let period = AttendancePeriod {
            from: from.0.0,
            to: to.0.0,
            training_id: training_id.0,
        };
        let format = Format::chosen(&accept, LIST_FORMATS);
        if format != Format::Json {
            let all = every!(|page| service::list_attendance(&state.db, &auth.0, &period, page));
            let table = service::attendance_table(&state.db, &all).await?;
            let stem = format!("emargements-{}-{}", period.from, period.to);
            return Ok(AttendanceOk::sheet(&table, format, &stem)?);
        }
        let page = page_request(limit, cursor);
        let found = service::list_attendance(&state.db, &auth.0, &period, &page).await?;
        Ok(AttendanceOk::page(PageView::of(found)))
    }
}
