//! `/api/v1/clubs/{id}/meetings`, `/api/v1/meetings/{id}` with `/cancel`, `/rsvp`, `/rsvps`.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::{MeetingView, NamedRsvpView, RsvpAnswerView, RsvpListView, RsvpView};
use crate::clubs::model::{MeetingChanges, NewMeeting};
use crate::clubs::service;
use crate::http::auth::BearerAuth;
use crate::http::cancel::CancelRequest;
use crate::http::dates::ZoneName;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::patch::clearable;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// A meeting to plan.
///
/// - `time_zone`: IANA time zone of its local hours (default `Europe/Paris`).
#[derive(Debug, Object)]
pub struct NewMeetingBody {
    /// Title (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub title: Text,
    /// Agenda (Markdown, at most 20,000 characters).
    #[oai(validator(max_length = 20000))]
    pub agenda: Patch<Text>,
    /// Start (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// End (RFC 3339), after the start, at most 24 hours later.
    pub ends_at: DateTime<Utc>,
    pub time_zone: Patch<ZoneName>,
    /// Where it happens (at most 500 characters).
    #[oai(validator(max_length = 500))]
    pub place: Patch<Text>,
    /// The online link (http or https), shown to members only.
    #[oai(validator(max_length = 2000))]
    pub online_url: Patch<Text>,
    /// Places, if limited (1–10,000).
    #[oai(validator(minimum(value = "1"), maximum(value = "10000")))]
    pub capacity: Patch<i32>,
    /// Count it in the Qualiopi evidence and the BPF (administrators only; default `false`).
    pub quality_scope: Patch<bool>,
}

/// Changes to a meeting; absent fields are unchanged, `null` clears `place`, `online_url` and
/// `capacity`.
///
/// - `time_zone`: IANA time zone of its local hours.
#[derive(Debug, Object)]
pub struct MeetingChangesBody {
    /// Title (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub title: Patch<Text>,
    /// Agenda (Markdown).
    #[oai(validator(max_length = 20000))]
    pub agenda: Patch<Text>,
    /// Start (RFC 3339).
    pub starts_at: Patch<DateTime<Utc>>,
    /// End (RFC 3339).
    pub ends_at: Patch<DateTime<Utc>>,
    pub time_zone: Patch<ZoneName>,
    /// Where it happens; `null` clears it.
    #[oai(validator(max_length = 500))]
    pub place: MaybeUndefined<Text>,
    /// The online link; `null` clears it.
    #[oai(validator(max_length = 2000))]
    pub online_url: MaybeUndefined<Text>,
    /// Places; `null` for no limit.
    #[oai(validator(minimum(value = "1"), maximum(value = "10000")))]
    pub capacity: MaybeUndefined<i32>,
    /// Count it in the Qualiopi evidence and the BPF (administrators only).
    pub quality_scope: Patch<bool>,
}

/// A member's answer.
///
/// - `answer`: Coming, not coming, perhaps.
#[derive(Debug, Object)]
pub struct RsvpBody {
    pub answer: RsvpAnswerView,
}

/// What answering did.
#[derive(ApiResponse)]
pub enum RsvpAnswerResponse {
    /// The first answer of this member.
    #[oai(status = 201)]
    Created(Json<RsvpView>, #[oai(header = "Location")] String),
    /// The answer was changed.
    #[oai(status = 200)]
    Updated(Json<RsvpView>),
}

created_response!(
    MeetingCreated,
    MeetingView,
    "The meeting was planned; `Location` is its URL."
);
ok_response!(MeetingOk, MeetingView, "The meeting.");
ok_response!(
    MeetingsOk,
    PageView<MeetingView>,
    "A page of meetings, in planning order."
);
ok_response!(RsvpsOk, RsvpListView, "The answers with their people.");

#[derive(Default)]
pub struct MeetingsApi;

#[OpenApi(tag = "ApiTags::Clubs")]
impl MeetingsApi {
    /// Plan a meeting
    ///
    /// The club's animators and administrators (`quality_scope`: administrators). 403
    /// `clubs.forbidden`; 404 `clubs.club_not_found`; 409 `clubs.club_archived`; 422
    /// `clubs.invalid` (times, time zone, link).
    #[oai(
        path = "/api/v1/clubs/:id/meetings",
        method = "post",
        operation_id = "create_meeting"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        body: JsonBody<NewMeetingBody>,
    ) -> ApiResult<MeetingCreated, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }>
    {
        let b = body.0;
        let new = NewMeeting {
            title: b.title.into_inner(),
            agenda: b.agenda.get().map(Text::into_inner).unwrap_or_default(),
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            time_zone: b
                .time_zone
                .get()
                .map_or_else(|| "Europe/Paris".to_owned(), ZoneName::into_inner),
            place: b.place.get().map(Text::into_inner),
            online_url: b.online_url.get().map(Text::into_inner),
            capacity: b.capacity.get(),
            quality_scope: b.quality_scope.get().unwrap_or(false),
        };
        let mut tx = state.begin().await?;
        let meeting = service::create_meeting(&mut tx, &auth.0, id.0, new).await?;
        tx.commit().await?;
        let location = format!("/api/v1/meetings/{}", meeting.meeting.id);
        Ok(MeetingCreated::Created(Json(meeting.into()), location))
    }

    /// A club's meetings
    ///
    /// Its members and animators; anyone logged in when its calendar is public (without the
    /// online links). Optionally those starting in `[from, to)`. 404 `clubs.club_not_found`.
    #[oai(
        path = "/api/v1/clubs/:id/meetings",
        method = "get",
        operation_id = "list_club_meetings"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        /// Only meetings starting at or after this instant (RFC 3339).
        from: Query<Option<DateTime<Utc>>>,
        /// Only meetings starting before this instant (RFC 3339).
        to: Query<Option<DateTime<Utc>>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<MeetingsOk, { AUTH | PARAMS | NOT_FOUND }> {
        let page = page_request(limit, cursor);
        let found = service::list_meetings(&state.db, &auth.0, id.0, from.0, to.0, &page).await?;
        Ok(MeetingsOk::Ok(Json(PageView::of(found))))
    }

    /// A meeting
    ///
    /// For whoever sees the club's meetings; the online link for members only, answer counts
    /// for all, names never (see `list_meeting_rsvps`). 404 `clubs.meeting_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id",
        method = "get",
        operation_id = "get_meeting"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<MeetingOk, { AUTH | PARAMS | NOT_FOUND }> {
        let meeting = service::get_meeting(&state.db, &auth.0, id.0).await?;
        Ok(MeetingOk::Ok(Json(meeting.into())))
    }

    /// Change a meeting
    ///
    /// The club's animators and administrators (`quality_scope`: administrators); a new time,
    /// place or link shows in calendars as an update. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`; 409 `clubs.meeting_cancelled`, `clubs.meeting_held` (its time
    /// and place no longer change); 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/meetings/:id",
        method = "patch",
        operation_id = "update_meeting"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        body: JsonBody<MeetingChangesBody>,
    ) -> ApiResult<MeetingOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let b = body.0;
        let changes = MeetingChanges {
            title: b.title.get().map(Text::into_inner),
            agenda: b.agenda.get().map(Text::into_inner),
            starts_at: b.starts_at.get(),
            ends_at: b.ends_at.get(),
            time_zone: b.time_zone.get().map(ZoneName::into_inner),
            place: clearable(b.place).map(|p| p.map(Text::into_inner)),
            online_url: clearable(b.online_url).map(|p| p.map(Text::into_inner)),
            capacity: clearable(b.capacity),
            quality_scope: b.quality_scope.get(),
        };
        let mut tx = state.begin().await?;
        let meeting = service::update_meeting(&mut tx, &auth.0, id.0, changes).await?;
        tx.commit().await?;
        Ok(MeetingOk::Ok(Json(meeting.into())))
    }

    /// Cancel a meeting
    ///
    /// The club's animators and administrators, with a reason shown to members and in
    /// calendars; its answers are kept. 403 `clubs.forbidden`; 404 `clubs.meeting_not_found`;
    /// 409 `clubs.meeting_cancelled`, `clubs.meeting_held`; 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/meetings/:id/cancel",
        method = "post",
        operation_id = "cancel_meeting"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<MeetingOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let meeting =
            service::cancel_meeting(&mut tx, &auth.0, id.0, body.0.reason.as_str()).await?;
        tx.commit().await?;
        Ok(MeetingOk::Ok(Json(meeting.into())))
    }

    /// Answer a meeting
    ///
    /// The club's active members (animators included), while the meeting is planned and not
    /// over; "yes" needs a free place when it has a capacity. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`; 409 `clubs.meeting_cancelled`, `clubs.meeting_over`,
    /// `clubs.meeting_full`.
    #[oai(
        path = "/api/v1/meetings/:id/rsvp",
        method = "put",
        operation_id = "set_rsvp"
    )]
    async fn rsvp(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        body: JsonBody<RsvpBody>,
    ) -> ApiResult<RsvpAnswerResponse, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }>
    {
        let mut tx = state.begin().await?;
        let (rsvp, created) = service::rsvp(&mut tx, &auth.0, id.0, body.0.answer.into()).await?;
        tx.commit().await?;
        Ok(if created {
            RsvpAnswerResponse::Created(
                Json(rsvp.into()),
                format!("/api/v1/meetings/{}/rsvps", id.0),
            )
        } else {
            RsvpAnswerResponse::Updated(Json(rsvp.into()))
        })
    }

    /// Who answered a meeting
    ///
    /// The club's animators and administrators: counts and names. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id/rsvps",
        method = "get",
        operation_id = "list_meeting_rsvps"
    )]
    async fn rsvps(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<RsvpsOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let (counts, items) = service::rsvps(&state.db, &auth.0, id.0).await?;
        Ok(RsvpsOk::Ok(Json(RsvpListView {
            counts: counts.into(),
            items: items
                .into_iter()
                .map(|(rsvp, person)| NamedRsvpView {
                    person: person.into(),
                    rsvp: rsvp.into(),
                })
                .collect(),
        })))
    }
}
