//! `/calendar/…` feeds and `/api/v1/me/calendar-token` (read, rotate). No SQL, no rules.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::{Object, OpenApi};

use super::blocks::Blocks;
use super::events::{Site, id_of_file};
use super::service::{self, CalendarError, RenderedFeed};
use crate::http::auth::{BearerAuth, Public};
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::render_cache::{Cached, RenderCache, Rendering};
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

const CALENDAR: &str = "text/calendar; charset=utf-8";
/// Synced tables the public feeds read (their watermarks key the rendered bytes).
const PUBLIC_TABLES: &[&str] = &["training", "training_session", "slot", "room"];
/// …a club's feed.
const CLUB_TABLES: &[&str] = &["club", "meeting"];
/// …and the personal feed.
const PERSONAL_TABLES: &[&str] = &[
    "training",
    "training_session",
    "slot",
    "room",
    "enrolment",
    "club",
    "club_membership",
    "meeting",
];

/// An iCalendar feed, or a 304.
pub struct FeedOk(pub Cached);

/// A public feed (shared caches may keep it).
pub struct PublicFeedOk(pub Cached);

macro_rules! feed_response {
    ($name:ident, $cache:literal) => {
        impl poem_openapi::ApiResponse for $name {
            fn meta() -> poem_openapi::registry::MetaResponses {
                crate::http::render_cache::meta_with(
                    "The feed (RFC 5545): one event per half-day or club meeting, times in UTC.",
                    CALENDAR,
                    MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format(
                        "string", "binary",
                    ))),
                    $cache,
                    true,
                )
            }

            fn register(_registry: &mut poem_openapi::registry::Registry) {}
        }

        impl poem::IntoResponse for $name {
            fn into_response(self) -> poem::Response {
                self.0.into_response()
            }
        }
    };
}

feed_response!(
    PublicFeedOk,
    "`public, max-age=300, no-cache`: anyone may keep it, revalidating with `If-None-Match`."
);
feed_response!(
    FeedOk,
    "`private, no-cache`: the URL is a secret; only the subscriber's own client keeps it."
);

/// HTTP date of `Last-Modified`.
fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn rendering(feed: RenderedFeed, cache_control: &'static str) -> Rendering {
    Rendering::bytes(
        feed.ics,
        CALENDAR,
        cache_control,
        http_date(feed.last_modified),
    )
    .fresh_until(feed.fresh_until)
}

/// A personal calendar token and its feed's URLs.
#[derive(Debug, Object)]
pub struct CalendarTokenView {
    /// The secret token: whoever holds it reads the feed, so keep it private.
    pub token: String,
    /// The feed's `https://` URL (Google Calendar: "From URL").
    pub https_url: String,
    /// The feed's `webcal://` URL (Apple Calendar, Outlook desktop, Thunderbird).
    pub webcal_url: String,
    /// When it was made (UTC).
    pub created_at: Timestamp,
}

impl From<service::FeedToken> for CalendarTokenView {
    fn from(token: service::FeedToken) -> Self {
        Self {
            token: token.token,
            https_url: token.https_url,
            webcal_url: token.webcal_url,
            created_at: token.created_at.into(),
        }
    }
}

created_response!(
    CalendarTokenCreated,
    CalendarTokenView,
    "A new token: the previous URL stops working at once."
);
ok_response!(
    CalendarTokenOk,
    CalendarTokenView,
    "The current token and its URLs (the same at every read until a rotation)."
);

#[derive(Default)]
pub struct CalendarApi;

#[OpenApi(tag = "ApiTags::Calendar")]
impl CalendarApi {
    /// The catalogue's calendar feed
    ///
    /// Every half-day of every published training's sessions, upcoming and of the last 30 days;
    /// a cancelled session stays 30 days, `STATUS:CANCELLED` and "ANNULÉ – " before its title.
    /// Public; `If-None-Match` with the `ETag` answers 304 while nothing changed.
    #[oai(
        path = "/calendar/catalogue.ics",
        method = "get",
        operation_id = "catalogue_feed"
    )]
    async fn catalogue(
        &self,
        state: Data<&AppState>,
        blocks: Data<&Arc<Blocks>>,
        cache: Data<&Arc<RenderCache>>,
        _public: Public,
        /// The `ETag` of a copy the client holds.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<PublicFeedOk, { PARAMS }> {
        let site = Site::new(&state.settings.public_url);
        let now = state.clock.now();
        let cached = cache
            .answer(
                "calendar.catalogue",
                PUBLIC_TABLES,
                String::new(),
                now,
                if_none_match.0.as_deref(),
                || async {
                    let feed = service::catalogue_feed(&state.db, blocks.0, &site, now).await?;
                    Ok::<_, CalendarError>(rendering(feed, "public, max-age=300, no-cache"))
                },
            )
            .await?;
        Ok(PublicFeedOk(cached))
    }

    /// A training's calendar feed
    ///
    /// The half-days of one published training's sessions, as in the catalogue's feed. Public.
    /// 404 `calendar.feed_not_found` for an unknown or unpublished training.
    #[oai(
        path = "/calendar/trainings/:file",
        method = "get",
        operation_id = "training_feed"
    )]
    async fn training(
        &self,
        state: Data<&AppState>,
        blocks: Data<&Arc<Blocks>>,
        cache: Data<&Arc<RenderCache>>,
        _public: Public,
        /// `<training id>.ics`.
        #[oai(validator(
            pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.ics$"
        ))]
        file: Path<String>,
        /// The `ETag` of a copy the client holds.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<PublicFeedOk, { PARAMS | NOT_FOUND }> {
        let id = id_of_file(&file.0).ok_or(CalendarError::FeedNotFound)?;
        let site = Site::new(&state.settings.public_url);
        let now = state.clock.now();
        let cached = cache
            .answer(
                "calendar.training",
                PUBLIC_TABLES,
                id.to_string(),
                now,
                if_none_match.0.as_deref(),
                || async {
                    let feed = service::training_feed(&state.db, blocks.0, &site, id, now).await?;
                    Ok::<_, CalendarError>(rendering(feed, "public, max-age=300, no-cache"))
                },
            )
            .await?;
        Ok(PublicFeedOk(cached))
    }

    /// A club's calendar feed
    ///
    /// The meetings of an active club whose calendar is public: upcoming and of the last 30
    /// days, cancelled ones 30 days with `STATUS:CANCELLED`; the place, never the online link
    /// (members find it in their personal feed). Public. 404 `calendar.feed_not_found` for an
    /// unknown, archived or members-only club.
    #[oai(
        path = "/calendar/clubs/:file",
        method = "get",
        operation_id = "club_feed"
    )]
    async fn club(
        &self,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        _public: Public,
        /// `<club id>.ics`.
        #[oai(validator(
            pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.ics$"
        ))]
        file: Path<String>,
        /// The `ETag` of a copy the client holds.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<PublicFeedOk, { PARAMS | NOT_FOUND }> {
        let id = id_of_file(&file.0).ok_or(CalendarError::FeedNotFound)?;
        let site = Site::new(&state.settings.public_url);
        let now = state.clock.now();
        let cached = cache
            .answer(
                "calendar.club",
                CLUB_TABLES,
                id.to_string(),
                now,
                if_none_match.0.as_deref(),
                || async {
                    let feed = service::club_feed(&state.db, &site, id, now).await?;
                    Ok::<_, CalendarError>(rendering(feed, "public, max-age=300, no-cache"))
                },
            )
            .await?;
        Ok(PublicFeedOk(cached))
    }

    /// A person's own calendar feed
    ///
    /// The half-days of the sessions the token's owner is enrolled in (`TENTATIVE` while
    /// waitlisted) and of those they teach, and the meetings of the clubs they belong to (with
    /// their online links); nobody else's, no names, no e-mails. The token in
    /// the path is the only credential (from `POST /api/v1/me/calendar-token`); a rotated or
    /// unknown token, or a deactivated account's, is a 404 `calendar.feed_not_found`.
    #[oai(
        path = "/calendar/personal/:file",
        method = "get",
        operation_id = "personal_feed"
    )]
    async fn personal(
        &self,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        _public: Public,
        /// `<token>.ics`.
        #[oai(validator(pattern = "^cal_[0-9a-f]{64}\\.ics$"))]
        file: Path<String>,
        /// The `ETag` of a copy the client holds.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<FeedOk, { PARAMS | NOT_FOUND }> {
        let token = file.0.strip_suffix(".ics").unwrap_or_default();
        let person = service::person_of_token(&state.db, token)
            .await?
            .ok_or(CalendarError::FeedNotFound)?;
        let site = Site::new(&state.settings.public_url);
        let now = state.clock.now();
        let cached = cache
            .answer(
                "calendar.personal",
                PERSONAL_TABLES,
                person.to_string(),
                now,
                if_none_match.0.as_deref(),
                || async {
                    let feed = service::personal_feed(&state.db, &site, person, now).await?;
                    Ok::<_, CalendarError>(rendering(feed, "private, no-cache"))
                },
            )
            .await?;
        Ok(FeedOk(cached))
    }

    /// Read the personal calendar URL
    ///
    /// The caller's current personal feed token with its `https://` and `webcal://` URLs,
    /// unchanged: every read answers the same URLs until `POST /api/v1/me/calendar-token`
    /// rotates them, so a second device subscribes to the same feed without breaking the first.
    /// A caller who has no token yet (or only one made before tokens were kept) gets one made
    /// now, once; later reads answer it.
    #[oai(
        path = "/api/v1/me/calendar-token",
        method = "get",
        operation_id = "get_calendar_token"
    )]
    async fn current(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<CalendarTokenOk, { AUTH }> {
        let site = Site::new(&state.settings.public_url);
        if let Some(kept) = service::kept_token(&state.db, &auth.0, &site).await? {
            return Ok(CalendarTokenOk::Ok(Json(kept.into())));
        }
        let tx = state.begin().await?;
        let token = service::current_token(tx.conn(), &auth.0, &site, tx.now()).await?;
        tx.commit().await?;
        Ok(CalendarTokenOk::Ok(Json(token.into())))
    }

    /// Get a new personal calendar URL
    ///
    /// Makes the caller a new secret token for their personal feed (256 random bits) and answers
    /// it with the feed's `https://` and `webcal://` URLs. The previous URL stops working at once
    /// (404 `calendar.feed_not_found`); `GET /api/v1/me/calendar-token` reads the new one again.
    #[oai(
        path = "/api/v1/me/calendar-token",
        method = "post",
        operation_id = "rotate_calendar_token"
    )]
    async fn rotate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<CalendarTokenCreated, { AUTH }> {
        let site = Site::new(&state.settings.public_url);
        let tx = state.begin().await?;
        let token = service::rotate_token(tx.conn(), &auth.0, &site, tx.now()).await?;
        tx.commit().await?;
        let location = "/api/v1/me/calendar-token".to_owned();
        Ok(CalendarTokenCreated::Created(Json(token.into()), location))
    }
}
