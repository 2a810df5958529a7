//! Rooms, places and online rooms (administrators).

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::RoomView;
use crate::catalogue::service::{self, RoomInput};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::pagination::PageRequest;
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

/// A page of rooms.
#[derive(Debug, Object)]
pub struct RoomsPage {
    /// Rooms, by creation order.
    pub items: Vec<RoomView>,
    /// Cursor of the next page; `null` on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

crate::ok_response!(RoomOk, RoomView, "The room.");
crate::created_response!(
    RoomCreated,
    RoomView,
    "The room was created; `Location` is its URL."
);
crate::ok_response!(RoomsOk, RoomsPage, "A page of rooms.");

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
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u32>>,
        /// Cursor from the previous page's `next_cursor`.
        #[oai(validator(pattern = r"^[A-Za-z0-9_-]{22}$"))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<RoomsOk> {
        let page = PageRequest::parse(limit.0, cursor.0.as_deref())?;
        let rows = service::list_rooms(&state.db, &auth.0, page.after, page.fetch()).await?;
        let (items, next_cursor) = page.finish(rows, |r| r.id);
        Ok(RoomsOk::Ok(Json(RoomsPage {
            items: items.iter().map(Into::into).collect(),
            next_cursor,
        })))
    }

    /// Create a room
    #[oai(path = "/", method = "post", operation_id = "create_room")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<RoomRequest>,
    ) -> ApiResult<RoomCreated> {
        let room = service::create_room(&state.db, &auth.0, body.0.into()).await?;
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
    ) -> ApiResult<RoomOk> {
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
        body: Json<RoomRequest>,
    ) -> ApiResult<RoomOk> {
        Ok(RoomOk::Ok(Json(
            (&service::update_room(&state.db, &auth.0, id.0, body.0.into()).await?).into(),
        )))
    }
}
