//! Accommodation requests (Qualiopi ind. 26): `/api/v1/enrolments/{id}/accommodations` and
//! `/api/v1/accommodations/{id}/handling`.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use crate::enrolment::model::Accommodation;
use crate::enrolment::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::nullable::Nullable;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// An accommodation a trainee asked for, and how it was handled.
#[derive(Debug, Object)]
pub struct AccommodationView {
    /// Identifier.
    pub id: Uuid,
    /// The enrolment it is for.
    pub enrolment_id: Uuid,
    /// What the trainee needs.
    pub need: String,
    /// Who asked (the trainee, their org manager or an administrator).
    pub requested_by: Uuid,
    /// When (UTC).
    pub requested_at: Timestamp,
    /// How it was handled: the measures taken, or why none could be; `null` until handled.
    pub response: Nullable<String>,
    /// Who recorded the handling (the disability referent or an administrator).
    pub handled_by: Nullable<Uuid>,
    /// When it was recorded (UTC).
    pub handled_at: Nullable<Timestamp>,
}

impl From<Accommodation> for AccommodationView {
    fn from(a: Accommodation) -> Self {
        let handling = a.handling.as_ref();
        Self {
            id: a.id,
            enrolment_id: a.enrolment_id,
            need: a.need.clone(),
            requested_by: a.requested_by,
            requested_at: a.requested_at.into(),
            response: Nullable(handling.map(|h| h.response.clone())),
            handled_by: Nullable(handling.map(|h| h.by)),
            handled_at: Nullable(handling.map(|h| h.at.into())),
        }
    }
}

/// A request for an accommodation.
#[derive(Debug, Object)]
pub struct AccommodationRequestBody {
    /// What the trainee needs (1–4000 characters).
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub need: Text,
}

/// How a request was handled.
#[derive(Debug, Object)]
pub struct HandlingBody {
    /// The measures taken, or why none could be (1–4000 characters).
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub response: Text,
}

created_response!(
    AccommodationCreated,
    AccommodationView,
    "The request was recorded; `Location` is its URL."
);
ok_response!(AccommodationOk, AccommodationView, "The request.");
ok_response!(
    AccommodationsOk,
    PageView<AccommodationView>,
    "A page of the enrolment's requests."
);

#[derive(Default)]
pub struct AccommodationsApi;

#[OpenApi(tag = "ApiTags::Enrolments")]
impl AccommodationsApi {
    /// Ask for an accommodation
    ///
    /// By the trainee, their org manager or an administrator (Qualiopi ind. 26). Seen only by the
    /// trainee, whoever asked, the training's disability referent and administrators — never by
    /// trainers. 404 `enrolment.not_found` for an enrolment the caller may not act on.
    #[oai(
        path = "/api/v1/enrolments/:id/accommodations",
        method = "post",
        operation_id = "request_accommodation"
    )]
    async fn request(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
        body: JsonBody<AccommodationRequestBody>,
    ) -> ApiResult<AccommodationCreated, { AUTH | PARAMS | BODY | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        let request =
            service::request_accommodation(&mut tx, &auth.0, id.0, body.0.need.as_str()).await?;
        tx.commit().await?;
        let location = format!("/api/v1/accommodations/{}", request.id);
        Ok(AccommodationCreated::Created(
            Json(request.into()),
            location,
        ))
    }

    /// List an enrolment's accommodation requests
    ///
    /// All of them for the trainee, the disability referent and administrators; the ones they
    /// asked for an org manager; 404 `enrolment.not_found` for anyone else.
    #[oai(
        path = "/api/v1/enrolments/:id/accommodations",
        method = "get",
        operation_id = "list_accommodations"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<AccommodationsOk, { AUTH | PARAMS | NOT_FOUND }> {
        let page = page_request(limit, cursor);
        let found = service::accommodations(&state.db, &auth.0, id.0, &page).await?;
        Ok(AccommodationsOk::Ok(Json(PageView::of(found))))
    }

    /// Record how a request was handled
    ///
    /// By the training's disability referent (the account with the referent's e-mail in the
    /// programme) or an administrator, dated now; again to correct it. 403 `enrolment.forbidden`
    /// for the trainee or the requester, 404 `enrolment.accommodation_not_found` for anyone who
    /// may not see it.
    #[oai(
        path = "/api/v1/accommodations/:id/handling",
        method = "put",
        operation_id = "handle_accommodation"
    )]
    async fn handle(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Accommodation request id.
        id: Path<Uuid>,
        body: JsonBody<HandlingBody>,
    ) -> ApiResult<AccommodationOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        let handled =
            service::handle_accommodation(&mut tx, &auth.0, id.0, body.0.response.as_str()).await?;
        tx.commit().await?;
        Ok(AccommodationOk::Ok(Json(handled.into())))
    }
}
