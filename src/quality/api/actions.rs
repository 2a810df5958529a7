//! `/api/v1/quality/actions[/{id}[/status]]`: the improvement actions (administrators).

use poem::web::{Accept, Data};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::action_views::{ActionView, OriginView, StatusView};
use crate::http::auth::BearerAuth;
use crate::http::dates::DateText;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, LIST_FORMATS, listed_response};
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::paging::every;
use crate::quality::model::actions::{ActionChanges, ActionFilter, NewAction, StatusMove};
use crate::quality::service;
use crate::state::AppState;

/// A new improvement action; it starts `planned`.
///
/// - `origin`: Where it comes from.
#[derive(Debug, Object)]
pub struct NewActionBody {
    /// What is to be done (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub description: Text,
    pub origin: OriginView,
    /// The originating record: a risk of the analysis or a complaint of the register (checked),
    /// or a survey result, session (trainer's debrief) or audit id (stored as given).
    pub origin_id: Patch<Uuid>,
    /// The person who carries it (an active account).
    pub owner_id: Uuid,
    /// When it is due (`YYYY-MM-DD`).
    pub due_on: DateText,
}

/// Changes to an open improvement action; absent fields are unchanged.
#[derive(Debug, Object)]
pub struct ActionChangesBody {
    /// What is to be done (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub description: Patch<Text>,
    /// The person who carries it (an active account).
    pub owner_id: Patch<Uuid>,
    /// When it is due (`YYYY-MM-DD`).
    pub due_on: Patch<DateText>,
}

/// A move of an improvement action's status.
///
/// - `status`: The status to move to: `in_progress` from `planned`, `done` from `in_progress`
///   (with `effect_observed`), `abandoned` from either (with `reason`).
#[derive(Debug, Object)]
pub struct ActionStatusBody {
    pub status: StatusView,
    /// The effect observed (required to be `done`; 1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub effect_observed: Patch<Text>,
    /// Why it is abandoned (required to be `abandoned`; 1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub reason: Patch<Text>,
}

created_response!(
    ActionCreated,
    ActionView,
    "The action was recorded; `Location` is its URL."
);
ok_response!(ActionOk, ActionView, "The action, with its history.");
listed_response!(
    ActionsOk,
    ActionsContent,
    PageView<ActionView>,
    "A page of actions, in creation order (without their history)."
);

#[derive(Default)]
pub struct ImprovementActionsApi;

#[OpenApi(tag = "ApiTags::Quality")]
impl ImprovementActionsApi {
    /// Record an improvement action
    ///
    /// Administrators. 403 `quality.forbidden`; 422 `quality.invalid` (a blank description, an
    /// owner who is not an active person, a risk that is not in the analysis).
    #[oai(
        path = "/api/v1/quality/actions",
        method = "post",
        operation_id = "create_improvement_action"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<NewActionBody>,
    ) -> ApiResult<ActionCreated, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let new = NewAction {
            description: b.description.into_inner(),
            origin: b.origin.into(),
            origin_id: b.origin_id.get(),
            owner_id: b.owner_id,
            due_on: b.due_on.into_inner(),
        };
        let mut tx = state.begin().await?;
        let action = service::create_action(&mut tx, &auth.0, new).await?;
        tx.commit().await?;
        let location = format!("/api/v1/quality/actions/{}", action.action.id);
        Ok(ActionCreated::Created(
            Json(ActionView::record(action)),
            location,
        ))
    }

    /// List improvement actions
    ///
    /// Administrators. 403 `quality.forbidden`.
    #[oai(
        path = "/api/v1/quality/actions",
        method = "get",
        operation_id = "list_improvement_actions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only actions of this status.
        status: Query<Option<StatusView>>,
        /// `true`: only overdue actions (due before today, Paris time, and neither done nor
        /// abandoned); `false`: only the others.
        overdue: Query<Option<bool>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
        accept: Accept,
    ) -> ApiResult<ActionsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let filter = ActionFilter {
            status: status.0.map(Into::into),
            overdue: overdue.0,
        };
        let now = state.clock.now();
        let format = Format::chosen(&accept, LIST_FORMATS);
        if format != Format::Json {
            let all = every!(|page| service::list_actions(&state.db, &auth.0, now, filter, page));
            return Ok(ActionsOk::sheet(
                &service::actions_table(&all),
                format,
                "actions-amelioration",
            )?);
        }
        let today = service::today(now);
        let found = service::list_actions(&state.db, &auth.0, now, filter, &page).await?;
        Ok(ActionsOk::page(PageView::map(found, |a| {
            let overdue = a.is_overdue(today);
            ActionView::of(a, overdue)
        })))
    }

    /// An improvement action
    ///
    /// Administrators: the action with every change, dated and by whom. 403
    /// `quality.forbidden`; 404 `quality.action_not_found`.
    #[oai(
        path = "/api/v1/quality/actions/:id",
        method = "get",
        operation_id = "get_improvement_action"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The action.
        id: Path<Uuid>,
    ) -> ApiResult<ActionOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let action = service::get_action(&state.db, &auth.0, state.clock.now(), id.0).await?;
        Ok(ActionOk::Ok(Json(ActionView::record(action))))
    }

    /// Change an improvement action
    ///
    /// Administrators, while it is open. 403 `quality.forbidden`; 404
    /// `quality.action_not_found`; 409 `quality.transition_not_allowed` (done or abandoned);
    /// 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/quality/actions/:id",
        method = "patch",
        operation_id = "update_improvement_action"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The action.
        id: Path<Uuid>,
        body: JsonBody<ActionChangesBody>,
    ) -> ApiResult<ActionOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let b = body.0;
        let changes = ActionChanges {
            description: b.description.get().map(Text::into_inner),
            owner_id: b.owner_id.get(),
            due_on: b.due_on.get().map(DateText::into_inner),
        };
        let mut tx = state.begin().await?;
        let action = service::update_action(&mut tx, &auth.0, id.0, changes).await?;
        tx.commit().await?;
        Ok(ActionOk::Ok(Json(ActionView::record(action))))
    }

    /// Move an improvement action's status
    ///
    /// Administrators: `planned` → `in_progress` → `done` (with the effect observed), or
    /// `abandoned` from either open status (with the reason). 403 `quality.forbidden`; 404
    /// `quality.action_not_found`; 409 `quality.transition_not_allowed` (another move, such
    /// as `planned` → `done`); 422 `quality.effect_required` (done without the effect
    /// observed), `quality.invalid` (abandoned without a reason, a blank text).
    #[oai(
        path = "/api/v1/quality/actions/:id/status",
        method = "post",
        operation_id = "move_improvement_action"
    )]
    async fn move_status(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The action.
        id: Path<Uuid>,
        body: JsonBody<ActionStatusBody>,
    ) -> ApiResult<ActionOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let b = body.0;
        let to = StatusMove {
            to: b.status.into(),
            effect_observed: b.effect_observed.get().map(Text::into_inner),
            reason: b.reason.get().map(Text::into_inner),
        };
        let mut tx = state.begin().await?;
        let action = service::move_action(&mut tx, &auth.0, id.0, to).await?;
        tx.commit().await?;
        Ok(ActionOk::Ok(Json(ActionView::record(action))))
    }
}
