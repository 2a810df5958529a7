//! `/api/v1/sessions/{id}/attendance`, `/checks`, `/close`, `/reopen`, `/closure`.

use poem::web::{Accept, Data};
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{ChecksView, ClosureView, SheetView};
use crate::attendance::model::Timing;
use crate::attendance::service;
use crate::http::auth::BearerAuth;
use crate::http::cancel::CancelRequest;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, LIST_FORMATS, listed_response};
use crate::http::json::JsonBody;
use crate::http::patch::Patch;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// Closing a session.
#[derive(Debug, Object)]
pub struct CloseBody {
    /// Why the session may close despite the checks' flags; required when any flag is raised.
    #[oai(validator(max_length = 4000))]
    pub justification: Patch<Text>,
}

listed_response!(
    SheetOk,
    SheetContent,
    SheetView,
    "The attendance sheet.",
    "With `Accept: text/csv` (French dialect: UTF-8 BOM, `;`, dd/mm/yyyy) or the XLSX media \
     type: one row per confirmed trainee and half-day, as a download \
     (`emargement-<session id>`) with French headers and the dates and times local to the \
     session's time zone."
);
ok_response!(ChecksOk, ChecksView, "The checks and their flags.");
ok_response!(ClosureOk, ClosureView, "How the session was closed.");

#[derive(Default)]
pub struct SessionAttendanceApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl SessionAttendanceApi {
    /// A session's attendance sheet
    ///
    /// Each half-day with its countersignature, each confirmed trainee's marks and the minutes
    /// they attended. For the session's trainers and administrators. 404
    /// `attendance.session_not_found`. With `Accept: text/csv` or the XLSX media type, the same
    /// sheet as a spreadsheet: one row per confirmed trainee and half-day (session, training,
    /// date, morning or afternoon, local start and end, trainee, organisation, status, minutes
    /// late, signed, local signing time, minutes attended, countersigned by the trainer).
    #[oai(
        path = "/api/v1/sessions/:id/attendance",
        method = "get",
        operation_id = "get_attendance_sheet"
    )]
    async fn sheet(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        accept: Accept,
    ) -> ApiResult<SheetOk, { AUTH | PARAMS | NOT_FOUND }> {
        let sheet = service::sheet(&state.db, &auth.0, id.0).await?;
        let format = Format::chosen(&accept, LIST_FORMATS);
        if format != Format::Json {
            let stem = format!("emargement-{}", sheet.session_id);
            let table = service::attendance_table(&state.db, std::slice::from_ref(&sheet)).await?;
            return Ok(SheetOk::sheet(&table, format, &stem)?);
        }
        Ok(SheetOk::page(sheet.into()))
    }

    /// The checks of a session's attendance
    ///
    /// The red flags for which courts rejected attendance sheets: a half-day without the
    /// trainer's countersignature, present marks without a signature, signatures made in one go
    /// or more than 24 hours after their half-day, a declared signing time outside its half-day
    /// (`signed_outside_half_day`) or later than the server or the device could have seen it
    /// made (`signing_time_unexplained`), signatures of several half-days that reached the
    /// server together long after them (`received_together_long_after`: the server's receipt
    /// online, the device's clock corrected by its offset offline; thresholds are settings),
    /// a half-day on a French public holiday, a
    /// trainer teaching another session at the same time, more present than the room holds, a
    /// trainee's byte-identical signature image on several half-days, a convocation naming the
    /// training differently. Each with its evidence. For the session's trainers and
    /// administrators. 404 `attendance.session_not_found`.
    #[oai(
        path = "/api/v1/sessions/:id/checks",
        method = "get",
        operation_id = "check_attendance"
    )]
    async fn checks(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<ChecksOk, { AUTH | PARAMS | NOT_FOUND }> {
        let flags = service::checks(&state.db, &auth.0, Timing::of(&state.settings), id.0).await?;
        Ok(ChecksOk::Ok(Json(ChecksView {
            session_id: id.0,
            clean: flags.is_empty(),
            flags: flags.into_iter().map(Into::into).collect(),
        })))
    }

    /// Close a session
    ///
    /// Administrators, once the last half-day has ended. When the checks raise flags, a
    /// `justification` is required (409 `attendance.flags_need_justification`, whose `fields`
    /// list the flags). Each confirmed trainee's enrolment becomes `completed` with the minutes
    /// attended and its outcome; people still waiting are cancelled; attendance is frozen until
    /// the session is reopened. 403 `attendance.forbidden`; 404 `attendance.session_not_found`;
    /// 409 `attendance.session_not_over`, `attendance.session_closed`,
    /// `attendance.session_not_open`, `attendance.flags_need_justification`.
    #[oai(
        path = "/api/v1/sessions/:id/close",
        method = "post",
        operation_id = "close_session"
    )]
    async fn close(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        body: JsonBody<CloseBody>,
    ) -> ApiResult<ClosureOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let justification = body.0.justification.get().map(Text::into_inner);
        let mut tx = state.begin().await?;
        let timing = Timing::of(&state.settings);
        let closure =
            service::close_session(&mut tx, &auth.0, timing, id.0, justification.as_deref())
                .await?;
        tx.commit().await?;
        Ok(ClosureOk::Ok(Json(closure.into())))
    }

    /// Reopen a closed session
    ///
    /// Administrators, with a reason kept in the history: enrolments go back to confirmed and
    /// attendance may change until the session is closed again. 403 `attendance.forbidden`; 404
    /// `attendance.session_not_found`, `attendance.closure_not_found`; 409
    /// `attendance.session_not_closed`; 422 `attendance.invalid` (an empty reason).
    #[oai(
        path = "/api/v1/sessions/:id/reopen",
        method = "post",
        operation_id = "reopen_session"
    )]
    async fn reopen(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<ClosureOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let reason = Text::into_inner(body.0.reason);
        let mut tx = state.begin().await?;
        let closure = service::reopen_session(&mut tx, &auth.0, id.0, &reason).await?;
        tx.commit().await?;
        Ok(ClosureOk::Ok(Json(closure.into())))
    }

    /// How a session was closed
    ///
    /// Who closed it, when, the flags then and the justification; its reopening if any. For the
    /// session's trainers and administrators. 404 `attendance.session_not_found`,
    /// `attendance.closure_not_found`.
    #[oai(
        path = "/api/v1/sessions/:id/closure",
        method = "get",
        operation_id = "get_closure"
    )]
    async fn closure(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<ClosureOk, { AUTH | PARAMS | NOT_FOUND }> {
        let closure = service::closure(&state.db, &auth.0, id.0).await?;
        Ok(ClosureOk::Ok(Json(closure.into())))
    }
}
