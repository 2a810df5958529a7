//! Rooms, places and online rooms (administrators).

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::RoomView;
use crate::catalogue::model::RoomInput;
use crate::catalogue::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// A room as a client describes it.
#[derive(Debug, Object)]
pub struct RoomRequest {
    /// Name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Text,
    /// An online room: needs `join_url`; a place needs address, city, country and capacity.
    pub is_online: bool,
    /// Street address of a place.
    #[oai(nullable, validator(max_length = 500))]
    pub address: Option<Text>,
    /// City of a place.
    #[oai(nullable, validator(max_length = 200))]
    pub city: Option<Text>,
    /// Country of a place, ISO 3166-1 alpha-2.
    #[oai(nullable, validator(max_length = 2))]
    pub country: Option<Text>,
    /// Join link of an online room (http or https).
    #[oai(nullable, validator(max_length = 2000))]
    pub join_url: Option<Text>,
    /// Seats (1–10000); optional for an online room.
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "10000")))]
    pub capacity: Option<i32>,
    /// Accessibility to people with disabilities (Qualiopi ind. 17, 26).
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub accessibility: Text,
}

impl From<RoomRequest> for RoomInput {
    fn from(r: RoomRequest) -> Self {
        RoomInput {
            name: r.name.into_inner(),
            is_online: r.is_online,
            address: r.address.map(Text::into_inner),
            city: r.city.map(Text::into_inner),
            country: r.country.map(Text::into_inner),
            join_url: r.join_url.map(Text::into_inner),
            capacity: r.capacity,
            accessibility: r.accessibility.into_inner(),
        }
    }
}

ok_response!(RoomOk, RoomView, "The room.");
created_response!(
    RoomCreated,
    RoomView,
    "The room was created; `Location` is its URL."
);
ok_response!(RoomsOk, PageView<RoomView>, "A page of rooms.");

#[derive(Default)]
pub struct RoomsApi;

#[OpenApi(prefix_path = "/api/v1/rooms", tag = "ApiTags::Rooms")]
impl RoomsApi {
    /// List rooms
    #[oai(path = "/", method = "get", operation_id = "list_rooms")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<RoomsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let found = service::list_rooms(&state.db, &auth.0, &page).await?;
        Ok(RoomsOk::Ok(Json(PageView::map(found, |r| (&r).into()))))
    }

    /// Create a room
    #[oai(path = "/", method = "post", operation_id = "create_room")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<RoomRequest>,
    ) -> ApiResult<RoomCreated, { AUTH | BODY | FORBIDDEN }> {
        let mut tx = state.begin().await?;
        let room = service::create_room(&mut tx, &auth.0, body.0.into()).await?;
        tx.commit().await?;
        let location = format!("/api/v1/rooms/{}", room.id);
        Ok(RoomCreated::Created(Json((&room).into()), location))
    }

    /// Get a room
    #[oai(path = "/:id", method = "get", operation_id = "get_room")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Room id.
        id: Path<Uuid>,
    ) -> ApiResult<RoomOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        Ok(RoomOk::Ok(Json(
            (&service::get_room(&state.db, &auth.0, id.0).await?).into(),
        )))
    }

    /// Replace a room's description
    ///
    /// The capacity cannot drop below that of a planned session in the room (422).
    #[oai(path = "/:id", method = "put", operation_id = "update_room")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Room id.
        id: Path<Uuid>,
        body: JsonBody<RoomRequest>,
    ) -> ApiResult<RoomOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        let room = service::update_room(&mut tx, &auth.0, id.0, body.0.into()).await?;
        tx.commit().await?;
        Ok(RoomOk::Ok(Json((&room).into())))
    }
}
