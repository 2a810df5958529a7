//! The public catalogue: published trainings and sessions, without authentication.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use crate::http::nullable::Nullable;

use super::result_views::TrainingResultsView;
use super::vocabulary::{MoneyView, ProgrammeView, ThemeView};
use super::{SlotView, TrainerName};
use crate::catalogue::model::{PublicSessionFilter, Session, Training, TrainingFilter};
use crate::catalogue::service::{self, CatalogueError};
use crate::http::auth::Public;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::render_cache::{RenderCache, cached_response};
use crate::http::tags::ApiTags;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// A published training.
///
/// - `results`: its result indicators (Qualiopi ind. 2), as `GET …/trainings/{id}/results`
///   gives them: in the training's own read, absent from lists.
/// - `programme`: The programme: objectives, prerequisites, duration, modalities, methods, assessment, access delay, prices, accessibility and referent, contacts, recognition, financing.
#[derive(Debug, Object)]
pub struct PublicTraining {
    /// Identifier.
    pub id: Uuid,
    /// Number of the version in force.
    pub version: i32,
    /// When the training was last changed (UTC).
    pub updated_at: Timestamp,
    pub programme: ProgrammeView,
    /// The `https://` URL of its sessions' calendar feed (Google Calendar: "From URL").
    pub calendar_url: String,
    /// The same feed's `webcal://` URL (Apple Calendar, Outlook desktop, Thunderbird).
    pub calendar_webcal_url: String,
    #[oai(skip_serializing_if_is_none)]
    pub results: Option<TrainingResultsView>,
}

impl PublicTraining {
    /// The view of a published training served at `public_url`.
    pub fn of(t: Training, public_url: &str) -> Self {
        let path = format!("/calendar/trainings/{}.ics", t.id);
        Self {
            id: t.id,
            version: t.current_version,
            updated_at: t.updated_at.into(),
            programme: t.programme.into(),
            calendar_url: format!("{}{path}", public_url.trim_end_matches('/')),
            calendar_webcal_url: crate::http::links::webcal(public_url, &path),
            results: None,
        }
    }
}

/// Where a session happens, as the public sees it (an online room's link is for enrolled
/// trainees only).
#[derive(Debug, Object)]
pub struct PublicPlace {
    /// Online rather than in a place.
    pub online: bool,
    /// Name of the place or room.
    pub name: String,
    /// Street address.
    pub address: Nullable<String>,
    /// City.
    pub city: Nullable<String>,
    /// Country, ISO 3166-1 alpha-2.
    pub country: Nullable<String>,
    /// Accessibility to people with disabilities.
    pub accessibility: String,
}

/// A published session.
///
/// - `place`: Where it happens.
/// - `member_price`: Price for staff of member organisations.
/// - `non_member_price`: Price for everyone else.
#[derive(Debug, Object)]
pub struct PublicSession {
    /// Identifier.
    pub id: Uuid,
    /// The training.
    pub training_id: Uuid,
    /// Title of the training.
    pub training_title: String,
    /// Themes of the training.
    pub themes: Vec<ThemeView>,
    /// IANA time zone of the session.
    pub time_zone: String,
    pub place: PublicPlace,
    /// Places.
    pub capacity: i32,
    /// Places left (a count; never names).
    pub seats_left: i32,
    /// Last moment to enrol (UTC), if any.
    pub enrolment_deadline: Nullable<Timestamp>,
    pub member_price: MoneyView,
    pub non_member_price: MoneyView,
    /// Who teaches it.
    pub trainers: Vec<TrainerName>,
    /// Sum of the half-days, in minutes.
    pub planned_minutes: i32,
    /// Start of the first half-day (UTC).
    pub starts_at: Nullable<Timestamp>,
    /// End of the last half-day (UTC).
    pub ends_at: Nullable<Timestamp>,
    /// The half-days with local and UTC times.
    pub slots: Vec<SlotView>,
}

impl From<Session> for PublicSession {
    fn from(s: Session) -> Self {
        let seats_left = s.seats_left();
        let programme = &s.training.programme;
        Self {
            id: s.id,
            training_id: s.training.id,
            training_title: programme.title.clone(),
            themes: programme.themes.iter().copied().map(Into::into).collect(),
            time_zone: s.time_zone,
            place: PublicPlace {
                online: s.room.is_online,
                name: s.room.name,
                address: Nullable(s.room.address),
                city: Nullable(s.room.city),
                country: Nullable(s.room.country),
                accessibility: s.room.accessibility,
            },
            capacity: s.capacity,
            seats_left,
            enrolment_deadline: Nullable(s.enrolment_deadline.map(Into::into)),
            member_price: programme.member_price.clone().into(),
            non_member_price: programme.non_member_price.clone().into(),
            trainers: s.trainers.iter().map(Into::into).collect(),
            planned_minutes: s.planned_minutes,
            starts_at: Nullable(s.starts_at.map(Into::into)),
            ends_at: Nullable(s.ends_at.map(Into::into)),
            slots: s.slots.iter().map(Into::into).collect(),
        }
    }
}

cached_response!(PublicTrainingOk, PublicTraining, "The published training.");
cached_response!(
    TrainingResultsOk,
    TrainingResultsView,
    "The training's result indicators, per year."
);
cached_response!(
    PublicTrainingsOk,
    PageView<PublicTraining>,
    "A page of published trainings."
);
cached_response!(PublicSessionOk, PublicSession, "The published session.");
cached_response!(
    PublicSessionsOk,
    PageView<PublicSession>,
    "A page of published sessions."
);

/// What the public catalogue is rendered from: a write to any of these tables makes the next
/// public read render again.
pub const CATALOGUE_TABLES: &[&str] = &["training", "room", "training_session", "slot", "person"];

/// What a training's result indicators are computed from besides the catalogue: seats held
/// (and attendance once closed), marks, survey answers. Drop-outs, which no watermark covers,
/// are recomputed within minutes (the results say until when they hold).
pub const RESULTS_TABLES: &[&str] = &[
    "training",
    "room",
    "training_session",
    "slot",
    "person",
    "enrolment",
    "attendance_mark",
    "survey_invitation",
];

/// The request's computation of result indicators (the quality context's, wired by the
/// assembly).
pub type SharedResults = Arc<dyn service::ResultsSource>;

/// The request's `If-None-Match`, as a handler parameter.
type IfNoneMatch = Header<Option<String>>;

#[derive(Default)]
pub struct CatalogueApi;

#[OpenApi(prefix_path = "/api/v1/catalogue", tag = "ApiTags::Catalogue")]
impl CatalogueApi {
    /// Published trainings
    ///
    /// The public catalogue; no authentication.
    #[oai(
        path = "/trainings",
        method = "get",
        operation_id = "list_catalogue_trainings"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn trainings(
        &self,
        _public: Public,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        /// Only trainings with this theme.
        theme: Query<Option<ThemeView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
        /// The `ETag` of a copy the client holds: 304 while it is current.
        #[oai(name = "If-None-Match")]
        if_none_match: IfNoneMatch,
    ) -> ApiResult<PublicTrainingsOk, { PARAMS }> {
        let page = page_request(limit, cursor);
        let filter = TrainingFilter {
            status: None,
            theme: theme.0.map(Into::into),
        };
        let query = format!("{filter:?} {page:?}");
        let answer = cache
            .answer(
                "list_catalogue_trainings",
                CATALOGUE_TABLES,
                query,
                state.clock.now(),
                if_none_match.0.as_deref(),
                async || {
                    let found = service::public_trainings(&state.db, filter, &page).await?;
                    Ok::<_, CatalogueError>(PublicTrainingsOk::render(&PageView::map(found, |t| {
                        PublicTraining::of(t, &state.settings.public_url)
                    })))
                },
            )
            .await?;
        Ok(PublicTrainingsOk(answer))
    }

    /// A published training
    ///
    /// 404 for drafts, archived trainings and unknown ids.
    #[oai(
        path = "/trainings/:id",
        method = "get",
        operation_id = "get_catalogue_training"
    )]
    async fn training(
        &self,
        _public: Public,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        results: Data<&SharedResults>,
        /// Training id.
        id: Path<Uuid>,
        /// The `ETag` of a copy the client holds: 304 while it is current.
        #[oai(name = "If-None-Match")]
        if_none_match: IfNoneMatch,
    ) -> ApiResult<PublicTrainingOk, { PARAMS | NOT_FOUND }> {
        let now = state.clock.now();
        let answer = cache
            .answer(
                "get_catalogue_training",
                RESULTS_TABLES,
                id.0.to_string(),
                now,
                if_none_match.0.as_deref(),
                async || {
                    let training = service::public_training(&state.db, id.0).await?;
                    let computed = results.results(&state.db, id.0, now).await?;
                    let fresh_until = computed.fresh_until;
                    let mut view = PublicTraining::of(training, &state.settings.public_url);
                    view.results = Some(computed.into());
                    Ok::<_, CatalogueError>(
                        PublicTrainingOk::render(&view).fresh_until(fresh_until),
                    )
                },
            )
            .await?;
        Ok(PublicTrainingOk(answer))
    }

    /// A training's result indicators
    ///
    /// Qualiopi ind. 2, computed from the data, per calendar year in which its sessions ended:
    /// trainees, completion rate (attended at least `--completion-threshold-percent` of the
    /// planned hours), drop-outs by cause, hot-survey satisfaction (mean out of 5 and share of
    /// 4 and 5) and response rate — each with its formula in words and the count it rests on. A
    /// figure resting on fewer than 5 people is `not_enough_answers`, never a number. No
    /// authentication; 404 for drafts, archived trainings and unknown ids.
    #[oai(
        path = "/trainings/:id/results",
        method = "get",
        operation_id = "get_training_results"
    )]
    async fn training_results(
        &self,
        _public: Public,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        results: Data<&SharedResults>,
        /// Training id.
        id: Path<Uuid>,
        /// The `ETag` of a copy the client holds: 304 while it is current.
        #[oai(name = "If-None-Match")]
        if_none_match: IfNoneMatch,
    ) -> ApiResult<TrainingResultsOk, { PARAMS | NOT_FOUND }> {
        let now = state.clock.now();
        let answer = cache
            .answer(
                "get_training_results",
                RESULTS_TABLES,
                id.0.to_string(),
                now,
                if_none_match.0.as_deref(),
                async || {
                    service::public_training(&state.db, id.0).await?;
                    let computed = results.results(&state.db, id.0, now).await?;
                    let fresh_until = computed.fresh_until;
                    Ok::<_, CatalogueError>(
                        TrainingResultsOk::render(&computed.into()).fresh_until(fresh_until),
                    )
                },
            )
            .await?;
        Ok(TrainingResultsOk(answer))
    }

    /// Published sessions
    ///
    /// The sessions open in the catalogue; no authentication.
    #[oai(
        path = "/sessions",
        method = "get",
        operation_id = "list_catalogue_sessions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn sessions(
        &self,
        _public: Public,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        /// Only sessions of this training.
        training_id: Query<Option<Uuid>>,
        /// Only sessions of trainings with this theme.
        theme: Query<Option<ThemeView>>,
        /// Only sessions that end after this instant (RFC 3339).
        from: Query<Option<DateTime<Utc>>>,
        /// Only sessions that start before this instant (RFC 3339).
        to: Query<Option<DateTime<Utc>>>,
        /// `true`: online sessions only; `false`: sessions in a place only.
        online: Query<Option<bool>>,
        /// Only sessions in this city (case-insensitive).
        city: Query<Option<String>>,
        /// `true`: only sessions with a place left whose enrolment deadline has not passed.
        available: Query<Option<bool>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
        /// The `ETag` of a copy the client holds: 304 while it is current.
        #[oai(name = "If-None-Match")]
        if_none_match: IfNoneMatch,
    ) -> ApiResult<PublicSessionsOk, { PARAMS }> {
        let page = page_request(limit, cursor);
        let filter = PublicSessionFilter {
            training_id: training_id.0,
            theme: theme.0.map(Into::into),
            from: from.0,
            to: to.0,
            online: online.0,
            city: city.0,
            available: available.0,
        };
        let now = state.clock.now();
        let query = format!("{filter:?} {page:?}");
        let answer = cache
            .answer(
                "list_catalogue_sessions",
                CATALOGUE_TABLES,
                query,
                now,
                if_none_match.0.as_deref(),
                async || {
                    let holds =
                        service::public_sessions_hold_until(&state.db, &filter, now).await?;
                    let found = service::public_sessions(&state.db, filter, now, &page).await?;
                    Ok::<_, CatalogueError>(
                        PublicSessionsOk::render(&PageView::of(found)).fresh_until(holds),
                    )
                },
            )
            .await?;
        Ok(PublicSessionsOk(answer))
    }

    /// A published session
    ///
    /// 404 for drafts, cancelled or closed sessions and unknown ids.
    #[oai(
        path = "/sessions/:id",
        method = "get",
        operation_id = "get_catalogue_session"
    )]
    async fn session(
        &self,
        _public: Public,
        state: Data<&AppState>,
        cache: Data<&Arc<RenderCache>>,
        /// Session id.
        id: Path<Uuid>,
        /// The `ETag` of a copy the client holds: 304 while it is current.
        #[oai(name = "If-None-Match")]
        if_none_match: IfNoneMatch,
    ) -> ApiResult<PublicSessionOk, { PARAMS | NOT_FOUND }> {
        let answer = cache
            .answer(
                "get_catalogue_session",
                CATALOGUE_TABLES,
                id.0.to_string(),
                state.clock.now(),
                if_none_match.0.as_deref(),
                async || {
                    let session = service::public_session(&state.db, id.0).await?;
                    Ok::<_, CatalogueError>(PublicSessionOk::render(&session.into()))
                },
            )
            .await?;
        Ok(PublicSessionOk(answer))
    }
}
