//! `/api/v1/quality/watch[/{id}]`: the watch register (administrators).

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::watch_views::{WatchEntryView, WatchKindView};
use crate::http::auth::BearerAuth;
use crate::http::dates::DateText;
use crate::http::day_param::DayParam;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{NoContent, created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::quality::model::watch::{WatchFilter, WatchInput};
use crate::quality::service;
use crate::state::AppState;

/// A new watch entry.
///
/// - `kind`: What it watches.
#[derive(Debug, Object)]
pub struct NewWatchEntryBody {
    pub kind: WatchKindView,
    /// Where it was learnt (1–500 characters).
    #[oai(validator(max_length = 500))]
    pub source: Text,
    /// When it was learnt (`YYYY-MM-DD`; default today, Paris time).
    pub observed_on: Patch<DateText>,
    /// What it says (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub summary: Text,
    /// What it changes for the trainings (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub impact: Text,
    /// What was done about it (at most 10,000 characters; default empty).
    #[oai(validator(max_length = 10000))]
    pub action_taken: Patch<Text>,
    /// The improvement action it led to (must exist).
    pub action_id: Patch<Uuid>,
}

/// Changes to a watch entry; absent fields are unchanged.
///
/// - `kind`: What it watches.
#[derive(Debug, Object)]
pub struct WatchEntryChangesBody {
    pub kind: Patch<WatchKindView>,
    /// Where it was learnt (1–500 characters).
    #[oai(validator(max_length = 500))]
    pub source: Patch<Text>,
    /// When it was learnt (`YYYY-MM-DD`).
    pub observed_on: Patch<DateText>,
    /// What it says (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub summary: Patch<Text>,
    /// What it changes for the trainings (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub impact: Patch<Text>,
    /// What was done about it (at most 10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub action_taken: Patch<Text>,
    /// The improvement action it led to (must exist).
    pub action_id: Patch<Uuid>,
}

created_response!(
    WatchEntryCreated,
    WatchEntryView,
    "The entry was recorded; `Location` is its URL."
);
ok_response!(WatchEntryOk, WatchEntryView, "The watch entry.");
ok_response!(
    WatchEntriesOk,
    PageView<WatchEntryView>,
    "A page of watch entries, in creation order."
);

#[derive(Default)]
pub struct WatchApi;

#[OpenApi(tag = "ApiTags::Quality")]
impl WatchApi {
    /// Record a watch entry
    ///
    /// Administrators. 403 `quality.forbidden`; 422 `quality.invalid` (a blank source, summary
    /// or impact, an improvement action that does not exist).
    #[oai(
        path = "/api/v1/quality/watch",
        method = "post",
        operation_id = "create_watch_entry"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<NewWatchEntryBody>,
    ) -> ApiResult<WatchEntryCreated, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let input = WatchInput {
            kind: Some(b.kind.into()),
            source: Some(b.source.into_inner()),
            observed_on: b.observed_on.get().map(DateText::into_inner),
            summary: Some(b.summary.into_inner()),
            impact: Some(b.impact.into_inner()),
            action_taken: Some(
                b.action_taken
                    .get()
                    .map(Text::into_inner)
                    .unwrap_or_default(),
            ),
            action_id: b.action_id.get(),
        };
        let mut tx = state.begin().await?;
        let entry = service::create_watch_entry(&mut tx, &auth.0, input).await?;
        tx.commit().await?;
        let location = format!("/api/v1/quality/watch/{}", entry.id);
        Ok(WatchEntryCreated::Created(Json(entry.into()), location))
    }

    /// List watch entries
    ///
    /// Administrators, of one kind and within a period when asked. 403 `quality.forbidden`;
    /// 422 `quality.invalid` (`to` before `from`).
    #[oai(
        path = "/api/v1/quality/watch",
        method = "get",
        operation_id = "list_watch_entries"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only entries of this kind.
        kind: Query<Option<WatchKindView>>,
        /// Only entries learnt on or after this date (`YYYY-MM-DD`).
        from: Query<Option<DayParam>>,
        /// Only entries learnt on or before this date (`YYYY-MM-DD`).
        to: Query<Option<DayParam>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<WatchEntriesOk, { AUTH | PARAMS | FORBIDDEN | UNPROCESSABLE }> {
        let page = page_request(limit, cursor);
        let filter = WatchFilter {
            kind: kind.0.map(Into::into),
            from: from.0.map(|d| d.0),
            to: to.0.map(|d| d.0),
        };
        let found = service::list_watch_entries(&state.db, &auth.0, filter, &page).await?;
        Ok(WatchEntriesOk::Ok(Json(PageView::of(found))))
    }

    /// A watch entry
    ///
    /// Administrators. 403 `quality.forbidden`; 404 `quality.watch_entry_not_found`.
    #[oai(
        path = "/api/v1/quality/watch/:id",
        method = "get",
        operation_id = "get_watch_entry"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The entry.
        id: Path<Uuid>,
    ) -> ApiResult<WatchEntryOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let entry = service::get_watch_entry(&state.db, &auth.0, id.0).await?;
        Ok(WatchEntryOk::Ok(Json(entry.into())))
    }

    /// Change a watch entry
    ///
    /// Administrators (linking it to an improvement action, say). 403 `quality.forbidden`;
    /// 404 `quality.watch_entry_not_found`; 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/quality/watch/:id",
        method = "patch",
        operation_id = "update_watch_entry"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The entry.
        id: Path<Uuid>,
        body: JsonBody<WatchEntryChangesBody>,
    ) -> ApiResult<WatchEntryOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let b = body.0;
        let input = WatchInput {
            kind: b.kind.get().map(Into::into),
            source: b.source.get().map(Text::into_inner),
            observed_on: b.observed_on.get().map(DateText::into_inner),
            summary: b.summary.get().map(Text::into_inner),
            impact: b.impact.get().map(Text::into_inner),
            action_taken: b.action_taken.get().map(Text::into_inner),
            action_id: b.action_id.get(),
        };
        let mut tx = state.begin().await?;
        let entry = service::update_watch_entry(&mut tx, &auth.0, id.0, input).await?;
        tx.commit().await?;
        Ok(WatchEntryOk::Ok(Json(entry.into())))
    }

    /// Delete a watch entry
    ///
    /// Administrators, for an entry recorded by mistake. 403 `quality.forbidden`; 404
    /// `quality.watch_entry_not_found`.
    #[oai(
        path = "/api/v1/quality/watch/:id",
        method = "delete",
        operation_id = "delete_watch_entry"
    )]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The entry.
        id: Path<Uuid>,
    ) -> ApiResult<NoContent, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        service::delete_watch_entry(&mut tx, &auth.0, id.0).await?;
        tx.commit().await?;
        Ok(NoContent::Done)
    }
}
