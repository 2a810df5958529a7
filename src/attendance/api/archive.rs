//! `/api/v1/sessions/{id}/attendance/archive`: what reschedules took off the sheet.

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

use super::AttendanceArchiveView;
use crate::attendance::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::state::AppState;

ok_response!(
    ArchiveOk,
    AttendanceArchiveView,
    "The archived marks and countersignatures."
);

#[derive(Default)]
pub struct ArchiveApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl ArchiveApi {
    /// A session's archived attendance
    ///
    /// The marks and trainers' countersignatures that left the sheet because their half-day was
    /// removed or moved (`PUT /api/v1/sessions/{id}/slots` or a new time zone, with `on_marks:
    /// keep_history`): each as it stood, with its half-day as it was, who archived it, when and
    /// why, oldest first. Nothing is ever deleted from the history; the sheet's PDF lists them
    /// too. For the session's trainers and administrators. 404 `attendance.session_not_found`.
    #[oai(
        path = "/api/v1/sessions/:id/attendance/archive",
        method = "get",
        operation_id = "get_attendance_archive"
    )]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<ArchiveOk, { AUTH | PARAMS | NOT_FOUND }> {
        let archive = service::archive(&state.db, &auth.0, id.0).await?;
        Ok(ArchiveOk::Ok(Json(AttendanceArchiveView::of(
            id.0, archive,
        ))))
    }
}
