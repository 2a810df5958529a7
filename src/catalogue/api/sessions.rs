//! Sessions and their half-days (administrators write; trainers read the sessions they teach).

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use uuid::Uuid;

use super::session_views::{
    CancelRequest, CreateSessionRequest, SessionView, SlotsRequest, SlotsView, UpdateSessionRequest,
};
use super::vocabulary::SessionStatusView;
use crate::catalogue::model::SessionFilter;
use crate::catalogue::service::{self, SessionChanges, SessionInput};
use crate::http::auth::BearerAuth;
use crate::http::dates::ZoneName;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::clearable;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

ok_response!(SessionOk, SessionView, "The session.");
created_response!(
    SessionCreated,
    SessionView,
    "The draft session was created; `Location` is its URL."
);
ok_response!(SessionsOk, PageView<SessionView>, "A page of sessions.");
ok_response!(SlotsOk, SlotsView, "The session's half-days.");

#[derive(Default)]
pub struct SessionsApi;

#[OpenApi(prefix_path = "/api/v1/sessions", tag = "ApiTags::Sessions")]
impl SessionsApi {
    /// List sessions
    ///
    /// Administrators see every session; trainers the sessions they teach; others get 403.
    #[oai(path = "/", method = "get", operation_id = "list_sessions")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only sessions of this training.
        training_id: Query<Option<Uuid>>,
        /// Only sessions in this status.
        status: Query<Option<SessionStatusView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<SessionsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let filter = SessionFilter {
            training_id: training_id.0,
            statuses: status.0.into_iter().map(Into::into).collect(),
            ..Default::default()
        };
        let found = service::list_sessions(&state.db, &auth.0, filter, &page).await?;
        Ok(SessionsOk::Ok(Json(PageView::of(found))))
    }

    /// Create a session
    ///
    /// A draft session with its trainers and half-days (administrators). Half-days are given in
    /// the session's local time and stored in UTC. Refused with the fields named (422): unknown
    /// time zone, capacity above the room's, an end before its start, overlapping half-days, a
    /// total that differs from the training's duration without `duration_note`.
    #[oai(path = "/", method = "post", operation_id = "create_session")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<CreateSessionRequest>,
    ) -> ApiResult<SessionCreated, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let input = SessionInput {
            training_id: b.training_id,
            room_id: b.room_id,
            time_zone: b.time_zone.get().map(ZoneName::into_inner),
            capacity: b.capacity,
            enrolment_deadline: b.enrolment_deadline.map(|t| t.0),
            trainer_ids: b.trainer_ids.unwrap_or_default(),
            qualiopi_scope: b.qualiopi_scope,
            bpf_scope: b.bpf_scope,
            duration_note: b.duration_note.map(Text::into_inner),
            slots: b
                .slots
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        };
        let mut tx = state.begin().await?;
        let session = service::create_session(&mut tx, &auth.0, input).await?;
        tx.commit().await?;
        let location = format!("/api/v1/sessions/{}", session.id);
        Ok(SessionCreated::Created(Json(session.into()), location))
    }

    /// Get a session
    ///
    /// Administrators, and the session's trainers; 404 for anyone else.
    #[oai(path = "/:id", method = "get", operation_id = "get_session")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<SessionOk, { AUTH | PARAMS | NOT_FOUND }> {
        Ok(SessionOk::Ok(Json(
            service::get_session(&state.db, &auth.0, id.0).await?.into(),
        )))
    }

    /// Update a session
    ///
    /// Closed and cancelled sessions cannot change (409 `catalogue.session_frozen`). Raising the
    /// capacity gives the new seats to the people waiting, first in line first, in the same
    /// transaction. A new `time_zone` keeps the half-days' local times and moves them in UTC: 409
    /// `catalogue.slots_hold_marks` when moved half-days hold attendance marks or a
    /// countersignature (unless `on_marks` is `keep_history`, which archives them in the
    /// attendance history), 409 `catalogue.session_started` when the session has started with
    /// confirmed trainees. 422 `catalogue.invalid` names the fields that break a rule.
    #[oai(path = "/:id", method = "patch", operation_id = "update_session")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        body: JsonBody<UpdateSessionRequest>,
    ) -> ApiResult<SessionOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let b = body.0;
        let changes = SessionChanges {
            room_id: b.room_id.get(),
            time_zone: b.time_zone.get().map(ZoneName::into_inner),
            capacity: b.capacity.get(),
            enrolment_deadline: match b.enrolment_deadline {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(d) => Some(Some(d)),
            },
            trainer_ids: b.trainer_ids.get(),
            qualiopi_scope: b.qualiopi_scope.get(),
            bpf_scope: b.bpf_scope.get(),
            duration_note: clearable(b.duration_note).map(|t| t.map(Text::into_inner)),
            on_marks: b.on_marks.get().into(),
        };
        let capacity_changed = changes.capacity.is_some();
        let mut tx = state.begin().await?;
        let evidence = state.slot_evidence.as_ref();
        let mut session =
            service::update_session(&mut tx, &auth.0, evidence, id.0, changes).await?;
        if capacity_changed {
            // More seats: the people waiting get them in this same transaction.
            let reason = format!("the capacity was raised to {}", session.capacity);
            let promoted = state
                .seats_added
                .seats_added(&mut tx, id.0, auth.0.person_id, &reason)
                .await?;
            if promoted > 0 {
                session = service::get_session(tx.conn(), &auth.0, id.0).await?;
            }
        }
        tx.commit().await?;
        Ok(SessionOk::Ok(Json(session.into())))
    }

    /// List a session's half-days
    #[oai(
        path = "/:id/slots",
        method = "get",
        operation_id = "list_session_slots"
    )]
    async fn slots(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<SlotsOk, { AUTH | PARAMS | NOT_FOUND }> {
        let session = service::get_session(&state.db, &auth.0, id.0).await?;
        Ok(SlotsOk::Ok(Json((&session).into())))
    }

    /// Replace a session's half-days
    ///
    /// The same checks as at creation (422 `catalogue.invalid`); half-days that stay keep their
    /// id, removed ones are deleted. Evidence is never lost silently: when a half-day this removes
    /// or moves (a new start or end) holds attendance marks or a trainer's countersignature, the
    /// change is refused with 409 `catalogue.slots_hold_marks` (`fields.slot_ids` names them)
    /// unless `on_marks` is `keep_history`: each mark and countersignature then leaves the live
    /// sheet (devices get a tombstone) and is kept in the attendance history as `archived`, with
    /// the reschedule as its reason, readable at `GET /api/v1/sessions/{id}/attendance/archive`
    /// and on the sheet's PDF. A session that has started with confirmed trainees keeps its first
    /// half-day, and one with confirmed trainees cannot be moved to start in the past (409
    /// `catalogue.session_started`); a session not yet started may move. 409
    /// `catalogue.session_frozen` for a closed or cancelled session.
    #[oai(
        path = "/:id/slots",
        method = "put",
        operation_id = "replace_session_slots"
    )]
    async fn replace_slots(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        body: JsonBody<SlotsRequest>,
    ) -> ApiResult<SlotsOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let on_marks = body.0.on_marks.get().into();
        let slots = body.0.slots.into_iter().map(Into::into).collect();
        let evidence = state.slot_evidence.as_ref();
        let mut tx = state.begin().await?;
        let session =
            service::replace_slots(&mut tx, &auth.0, evidence, id.0, slots, on_marks).await?;
        tx.commit().await?;
        Ok(SlotsOk::Ok(Json((&session).into())))
    }

    /// Publish a session
    ///
    /// Opens it in the public catalogue. Its training must be published (409) and it needs
    /// half-days (422).
    #[oai(
        path = "/:id/publish",
        method = "post",
        operation_id = "publish_session"
    )]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<SessionOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT | UNPROCESSABLE }>
    {
        let mut tx = state.begin().await?;
        let session = service::publish_session(&mut tx, &auth.0, id.0).await?;
        tx.commit().await?;
        Ok(SessionOk::Ok(Json(session.into())))
    }

    /// Cancel a session
    ///
    /// With a reason, kept for the evidence. Closed sessions cannot be cancelled (409).
    #[oai(path = "/:id/cancel", method = "post", operation_id = "cancel_session")]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<SessionOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let session =
            service::cancel_session(&mut tx, &auth.0, id.0, body.0.reason.as_str()).await?;
        tx.commit().await?;
        Ok(SessionOk::Ok(Json(session.into())))
    }
}
