//! `/api/v1/quality/risks[/{id}]`: the risk analysis (administrators).

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::risk_views::{RiskOrderView, RiskView};
use crate::http::auth::BearerAuth;
use crate::http::dates::DateText;
use crate::http::day_param::DayParam;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::quality::model::risks::{RiskFilter, RiskInput};
use crate::quality::service;
use crate::state::AppState;

/// A new risk.
#[derive(Debug, Object)]
pub struct NewRiskBody {
    /// The risk (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub description: Text,
    /// How likely it is: 1 (rare) to 4 (almost certain).
    #[oai(validator(minimum(value = "1"), maximum(value = "4")))]
    pub likelihood: i32,
    /// How much it would hurt: 1 (minor) to 4 (severe).
    #[oai(validator(minimum(value = "1"), maximum(value = "4")))]
    pub impact: i32,
    /// What reduces it (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub mitigation: Text,
    /// The date of the analysis (`YYYY-MM-DD`; default today, Paris time).
    pub assessed_on: Patch<DateText>,
    /// When it is to be reviewed (`YYYY-MM-DD`).
    pub review_on: DateText,
}

/// Changes to a risk; absent fields are unchanged.
#[derive(Debug, Object)]
pub struct RiskChangesBody {
    /// The risk (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub description: Patch<Text>,
    /// How likely it is: 1 (rare) to 4 (almost certain).
    #[oai(validator(minimum(value = "1"), maximum(value = "4")))]
    pub likelihood: Patch<i32>,
    /// How much it would hurt: 1 (minor) to 4 (severe).
    #[oai(validator(minimum(value = "1"), maximum(value = "4")))]
    pub impact: Patch<i32>,
    /// What reduces it (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub mitigation: Patch<Text>,
    /// The date of the analysis (`YYYY-MM-DD`).
    pub assessed_on: Patch<DateText>,
    /// When it is to be reviewed (`YYYY-MM-DD`).
    pub review_on: Patch<DateText>,
}

created_response!(
    RiskCreated,
    RiskView,
    "The risk was recorded; `Location` is its URL."
);
ok_response!(RiskOk, RiskView, "The risk, with the actions born of it.");
ok_response!(
    RisksOk,
    PageView<RiskView>,
    "A page of risks, in the order asked (without their actions)."
);

#[derive(Default)]
pub struct RisksApi;

#[OpenApi(tag = "ApiTags::Quality")]
impl RisksApi {
    /// Record a risk
    ///
    /// Administrators. Its criticality is likelihood × impact. 403 `quality.forbidden`; 422
    /// `quality.invalid`.
    #[oai(
        path = "/api/v1/quality/risks",
        method = "post",
        operation_id = "create_quality_risk"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<NewRiskBody>,
    ) -> ApiResult<RiskCreated, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let input = RiskInput {
            description: Some(b.description.into_inner()),
            likelihood: Some(b.likelihood),
            impact: Some(b.impact),
            mitigation: Some(b.mitigation.into_inner()),
            assessed_on: b.assessed_on.get().map(DateText::into_inner),
            review_on: Some(b.review_on.into_inner()),
        };
        let mut tx = state.begin().await?;
        let risk = service::create_risk(&mut tx, &auth.0, input).await?;
        let today = service::today(tx.now());
        tx.commit().await?;
        let location = format!("/api/v1/quality/risks/{}", risk.risk.id);
        Ok(RiskCreated::Created(
            Json(RiskView::record(risk, today)),
            location,
        ))
    }

    /// List risks
    ///
    /// Administrators: the risk analysis, filtered and ordered by review date when asked. 403
    /// `quality.forbidden`.
    #[oai(
        path = "/api/v1/quality/risks",
        method = "get",
        operation_id = "list_quality_risks"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// `true`: only risks whose review date has come (today, Paris time, or before);
        /// `false`: only the others.
        review_due: Query<Option<bool>>,
        /// Only risks to review on or before this date (`YYYY-MM-DD`).
        review_by: Query<Option<DayParam>>,
        /// The order: `created` (default), `review_on` (earliest first) or `criticality`
        /// (highest first).
        order: Query<Option<RiskOrderView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<RisksOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let filter = RiskFilter {
            review_due: review_due.0,
            review_by: review_by.0.map(|d| d.0),
            order: order.0.map(Into::into).unwrap_or_default(),
        };
        let found =
            service::list_risks(&state.db, &auth.0, state.clock.now(), filter, &page).await?;
        Ok(RisksOk::Ok(Json(PageView::map(found, |(r, due)| {
            RiskView::of(r, due)
        }))))
    }

    /// A risk
    ///
    /// Administrators: the risk with the improvement actions born of it. 403
    /// `quality.forbidden`; 404 `quality.risk_not_found`.
    #[oai(
        path = "/api/v1/quality/risks/:id",
        method = "get",
        operation_id = "get_quality_risk"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The risk.
        id: Path<Uuid>,
    ) -> ApiResult<RiskOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let now = state.clock.now();
        let risk = service::get_risk(&state.db, &auth.0, now, id.0).await?;
        Ok(RiskOk::Ok(Json(RiskView::record(
            risk,
            service::today(now),
        ))))
    }

    /// Change a risk
    ///
    /// Administrators: a new assessment, mitigation or review date. 403 `quality.forbidden`;
    /// 404 `quality.risk_not_found`; 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/quality/risks/:id",
        method = "patch",
        operation_id = "update_quality_risk"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The risk.
        id: Path<Uuid>,
        body: JsonBody<RiskChangesBody>,
    ) -> ApiResult<RiskOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let b = body.0;
        let input = RiskInput {
            description: b.description.get().map(Text::into_inner),
            likelihood: b.likelihood.get(),
            impact: b.impact.get(),
            mitigation: b.mitigation.get().map(Text::into_inner),
            assessed_on: b.assessed_on.get().map(DateText::into_inner),
            review_on: b.review_on.get().map(DateText::into_inner),
        };
        let mut tx = state.begin().await?;
        let risk = service::update_risk(&mut tx, &auth.0, id.0, input).await?;
        let today = service::today(tx.now());
        tx.commit().await?;
        Ok(RiskOk::Ok(Json(RiskView::record(risk, today))))
    }
}
