//! `/api/v1/clubs[/{id}]`, `/api/v1/clubs/{id}/animators`, `/api/v1/me/clubs` and
//! `/api/v1/clubs/activity`.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{ActivityReportView, ClubStatusView, ClubView, PolicyView, TradeView, VisibilityView};
use crate::clubs::model::{ClubChanges, NewClub};
use crate::clubs::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::paging::Page;
use crate::state::AppState;

/// A new club.
///
/// - `trade`: The trade it gathers.
/// - `membership_policy`: Who may join (default `federation_members`).
/// - `calendar_visibility`: Who sees its meetings (default `members`).
#[derive(Debug, Object)]
pub struct NewClubBody {
    /// Name (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub name: Text,
    pub trade: TradeView,
    /// What the club is for (plain text, at most 10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub description: Patch<Text>,
    pub membership_policy: Patch<PolicyView>,
    pub calendar_visibility: Patch<VisibilityView>,
    /// Its animators: people holding the `animator` role (at most 20).
    #[oai(validator(max_items = 20))]
    pub animator_ids: Patch<Vec<Uuid>>,
}

/// Changes to a club; absent fields are unchanged.
///
/// - `trade`: The trade it gathers.
/// - `membership_policy`: Who may join (existing members stay).
/// - `calendar_visibility`: Who sees its meetings.
/// - `status`: `archived` keeps everything but takes no new members nor meetings.
#[derive(Debug, Object)]
pub struct ClubChangesBody {
    /// Name (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub name: Patch<Text>,
    pub trade: Patch<TradeView>,
    /// What the club is for (plain text).
    #[oai(validator(max_length = 10000))]
    pub description: Patch<Text>,
    pub membership_policy: Patch<PolicyView>,
    pub calendar_visibility: Patch<VisibilityView>,
    pub status: Patch<ClubStatusView>,
}

/// A club's animators, replacing the current ones.
#[derive(Debug, Object)]
pub struct AnimatorsBody {
    /// People holding the `animator` role (at most 20); animators not named stay members.
    #[oai(validator(max_items = 20))]
    pub animator_ids: Vec<Uuid>,
}

created_response!(
    ClubCreated,
    ClubView,
    "The club was created; `Location` is its URL."
);
ok_response!(ClubOk, ClubView, "The club.");
ok_response!(
    ClubsOk,
    PageView<ClubView>,
    "A page of clubs, in creation order."
);
ok_response!(
    ActivityOk,
    ActivityReportView,
    "Each club's and each trade's figures."
);

#[derive(Default)]
pub struct ClubsApi;

#[OpenApi(tag = "ApiTags::Clubs")]
impl ClubsApi {
    /// Create a club
    ///
    /// Administrators. Its animators must hold the `animator` role; they become its first
    /// members. 403 `clubs.forbidden`; 422 `clubs.invalid` (a blank name, an animator who does
    /// not hold the role or does not exist).
    #[oai(path = "/api/v1/clubs", method = "post", operation_id = "create_club")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<NewClubBody>,
    ) -> ApiResult<ClubCreated, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let new = NewClub {
            name: b.name.into_inner(),
            trade: b.trade.into(),
            description: b
                .description
                .get()
                .map(Text::into_inner)
                .unwrap_or_default(),
            membership_policy: b.membership_policy.get().map_or(
                crate::clubs::model::MembershipPolicy::FederationMembers,
                Into::into,
            ),
            calendar_visibility: b
                .calendar_visibility
                .get()
                .map_or(crate::clubs::model::CalendarVisibility::Members, Into::into),
            animator_ids: b.animator_ids.get().unwrap_or_default(),
        };
        let mut tx = state.begin().await?;
        let club = service::create_club(&mut tx, &auth.0, new).await?;
        tx.commit().await?;
        let location = format!("/api/v1/clubs/{}", club.club.id);
        Ok(ClubCreated::Created(
            Json(ClubView::of(club, &state.settings.public_url)),
            location,
        ))
    }

    /// List clubs
    ///
    /// Every active club (any logged-in person); archived ones for their members and
    /// administrators. Each says the caller's own membership.
    #[oai(path = "/api/v1/clubs", method = "get", operation_id = "list_clubs")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only clubs of this trade.
        trade: Query<Option<TradeView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<ClubsOk, { AUTH | PARAMS }> {
        let page = page_request(limit, cursor);
        let found = service::list_clubs(&state.db, &auth.0, trade.0.map(Into::into), &page).await?;
        Ok(ClubsOk::Ok(Json(PageView::map(found, |c| {
            ClubView::of(c, &state.settings.public_url)
        }))))
    }

    /// My clubs
    ///
    /// The clubs the caller belongs to, animates, asked to join or left, each with their
    /// membership. One page holds them all.
    #[oai(
        path = "/api/v1/me/clubs",
        method = "get",
        operation_id = "list_my_clubs"
    )]
    async fn mine(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<ClubsOk, { AUTH }> {
        let clubs = service::my_clubs(&state.db, &auth.0).await?;
        let page = Page {
            items: clubs,
            next: None,
        };
        Ok(ClubsOk::Ok(Json(PageView::map(page, |c| {
            ClubView::of(c, &state.settings.public_url)
        }))))
    }

    /// The clubs' activity over a year
    ///
    /// Administrators: per club and per trade, meetings planned, held and cancelled,
    /// attendances and their average per held meeting, distinct attendees, active members,
    /// members who joined. Meetings count in the year they start in, in their own time zone.
    /// 403 `clubs.forbidden`.
    #[oai(
        path = "/api/v1/clubs/activity",
        method = "get",
        operation_id = "get_club_activity"
    )]
    async fn activity(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The year (2000–2100).
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))]
        year: Query<i32>,
    ) -> ApiResult<ActivityOk, { AUTH | PARAMS | FORBIDDEN }> {
        let figures = service::activity(&state.db, &auth.0, year.0).await?;
        Ok(ActivityOk::Ok(Json(ActivityReportView::of(
            year.0, figures,
        ))))
    }

    /// A club
    ///
    /// Any logged-in person for an active club; an archived one for its members and
    /// administrators. 404 `clubs.club_not_found`.
    #[oai(path = "/api/v1/clubs/:id", method = "get", operation_id = "get_club")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
    ) -> ApiResult<ClubOk, { AUTH | PARAMS | NOT_FOUND }> {
        let club = service::get_club(&state.db, &auth.0, id.0).await?;
        Ok(ClubOk::Ok(Json(ClubView::of(
            club,
            &state.settings.public_url,
        ))))
    }

    /// Change a club
    ///
    /// Administrators. 403 `clubs.forbidden`; 404 `clubs.club_not_found`; 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/clubs/:id",
        method = "patch",
        operation_id = "update_club"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        body: JsonBody<ClubChangesBody>,
    ) -> ApiResult<ClubOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let b = body.0;
        let changes = ClubChanges {
            name: b.name.get().map(Text::into_inner),
            trade: b.trade.get().map(Into::into),
            description: b.description.get().map(Text::into_inner),
            membership_policy: b.membership_policy.get().map(Into::into),
            calendar_visibility: b.calendar_visibility.get().map(Into::into),
            status: b.status.get().map(Into::into),
        };
        let mut tx = state.begin().await?;
        let club = service::update_club(&mut tx, &auth.0, id.0, changes).await?;
        tx.commit().await?;
        Ok(ClubOk::Ok(Json(ClubView::of(
            club,
            &state.settings.public_url,
        ))))
    }

    /// Set a club's animators
    ///
    /// Administrators. The people named (holding the `animator` role) become its animators and
    /// members; animators no longer named stay members. 403 `clubs.forbidden`; 404
    /// `clubs.club_not_found`; 409 `clubs.club_archived`; 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/clubs/:id/animators",
        method = "put",
        operation_id = "set_club_animators"
    )]
    async fn animators(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        body: JsonBody<AnimatorsBody>,
    ) -> ApiResult<ClubOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let club = service::set_animators(&mut tx, &auth.0, id.0, &body.0.animator_ids).await?;
        tx.commit().await?;
        Ok(ClubOk::Ok(Json(ClubView::of(
            club,
            &state.settings.public_url,
        ))))
    }
}
