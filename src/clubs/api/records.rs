//! `/api/v1/meetings/{id}/attendance…` and `/minutes`: who came to a meeting and what was said.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::{MeetingMarkView, MinutesVersionView, MinutesView};
use crate::attendance::api::MarkBody;
use crate::attendance::service as attendance;
use crate::clubs::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// A new version of a meeting's minutes.
#[derive(Debug, Object)]
pub struct MinutesBody {
    /// The text (Markdown, 1–100,000 characters).
    #[oai(validator(max_length = 100000))]
    pub body: Text,
    /// The version the author edited: if another was posted since, 409 and nothing is lost.
    #[oai(validator(minimum(value = "0")))]
    pub based_on: Patch<i32>,
}

/// What recording a member did.
#[derive(ApiResponse)]
pub enum MeetingMarkAnswer {
    /// The first mark of this member for this meeting; `Location` is the meeting's attendance.
    #[oai(status = 201)]
    Created(Json<MeetingMarkView>, #[oai(header = "Location")] String),
    /// The mark was changed (the change is kept in its history).
    #[oai(status = 200)]
    Updated(Json<MeetingMarkView>),
}

ok_response!(MarksOk, Vec<MeetingMarkView>, "The meeting's marks.");
ok_response!(
    MinutesOk,
    MinutesView,
    "The minutes and every earlier version."
);
created_response!(
    MinutesCreated,
    MinutesVersionView,
    "The new version; `Location` is the minutes."
);
#[derive(Default)]
pub struct MeetingRecordsApi;

#[OpenApi(tag = "ApiTags::Clubs")]
impl MeetingRecordsApi {
    /// Record a member at a meeting
    ///
    /// The club's animators and administrators record an active member (signature optional),
    /// from 30 minutes before the meeting; the first person recorded present makes it `held`.
    /// Same marks, signatures and history as training half-days; outside the Qualiopi and BPF
    /// scope unless the meeting is flagged. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`, `clubs.member_not_found`; 409 `clubs.meeting_cancelled`,
    /// `clubs.meeting_not_started`; 422 `attendance.invalid`, `attendance.signature_not_png`,
    /// `attendance.signature_too_large`, `attendance.signature_corrupt`,
    /// `attendance.signature_dimensions`, `attendance.signature_blank`.
    #[oai(
        path = "/api/v1/meetings/:id/attendance/:person_id",
        method = "put",
        operation_id = "set_meeting_mark"
    )]
    async fn set_mark(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        /// The member.
        person_id: Path<Uuid>,
        body: JsonBody<MarkBody>,
    ) -> ApiResult<MeetingMarkAnswer, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }>
    {
        let prepared =
            attendance::prepare_mark(body.0.into()).map_err(service::ClubsError::from)?;
        let mut tx = state.begin().await?;
        let set = service::set_meeting_mark(&mut tx, &auth.0, id.0, person_id.0, prepared).await?;
        tx.commit().await?;
        let view = MeetingMarkView::from(set.mark);
        Ok(if set.created {
            let location = format!("/api/v1/meetings/{}/attendance", id.0);
            MeetingMarkAnswer::Created(Json(view), location)
        } else {
            MeetingMarkAnswer::Updated(Json(view))
        })
    }

    /// Who came to a meeting
    ///
    /// The club's animators and administrators see every mark; a member sees their own. 404
    /// `clubs.meeting_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id/attendance",
        method = "get",
        operation_id = "list_meeting_marks"
    )]
    async fn marks(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<MarksOk, { AUTH | PARAMS | NOT_FOUND }> {
        let marks = service::meeting_marks(&state.db, &auth.0, id.0).await?;
        Ok(MarksOk::Ok(Json(
            marks.into_iter().map(Into::into).collect(),
        )))
    }

    /// Post the minutes of a meeting
    ///
    /// The club's animators and administrators; each text is a new version, earlier ones are
    /// kept. 403 `clubs.forbidden`; 404 `clubs.meeting_not_found`; 409
    /// `clubs.meeting_cancelled`, `clubs.minutes_changed` (`based_on` is not the latest
    /// version); 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/meetings/:id/minutes",
        method = "put",
        operation_id = "post_meeting_minutes"
    )]
    async fn post_minutes(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        body: JsonBody<MinutesBody>,
    ) -> ApiResult<MinutesCreated, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }>
    {
        let b = body.0;
        let mut tx = state.begin().await?;
        let minutes =
            service::post_minutes(&mut tx, &auth.0, id.0, b.body.as_str(), b.based_on.get())
                .await?;
        tx.commit().await?;
        let location = format!("/api/v1/meetings/{}/minutes", id.0);
        Ok(MinutesCreated::Created(Json(minutes.into()), location))
    }

    /// The minutes of a meeting
    ///
    /// Its club's members and animators: the current version and every earlier one. 404
    /// `clubs.meeting_not_found`, `clubs.minutes_not_found` (none posted yet).
    #[oai(
        path = "/api/v1/meetings/:id/minutes",
        method = "get",
        operation_id = "get_meeting_minutes"
    )]
    async fn minutes(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<MinutesOk, { AUTH | PARAMS | NOT_FOUND }> {
        let versions = service::minutes(&state.db, &auth.0, id.0).await?;
        let current = versions
            .last()
            .cloned()
            .ok_or(service::ClubsError::MinutesNotFound)?;
        Ok(MinutesOk::Ok(Json(MinutesView {
            meeting_id: id.0,
            current: current.into(),
            versions: versions.into_iter().map(Into::into).collect(),
        })))
    }
}
