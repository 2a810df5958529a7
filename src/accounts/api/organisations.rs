//! Organisations.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::text;
use crate::accounts::model::{NewOrganisation, Organisation, OrganisationChanges};
use crate::accounts::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// An organisation.
#[derive(Debug, Object)]
pub struct OrganisationView {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Member of the federation: its staff pay the member price.
    pub is_member: bool,
    /// Country, ISO 3166-1 alpha-2.
    pub country: String,
    /// False once deactivated.
    pub active: bool,
    /// Creation time (UTC).
    pub created_at: Timestamp,
    /// Last change (UTC).
    pub updated_at: Timestamp,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        Self {
            id: o.id,
            name: o.name,
            is_member: o.is_member,
            country: o.country,
            active: o.active,
            created_at: o.created_at.into(),
            updated_at: o.updated_at.into(),
        }
    }
}

/// A new organisation.
#[derive(Debug, Object)]
pub struct CreateOrganisationRequest {
    /// Name (1–200 characters).
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Text,
    /// Member of the federation.
    pub is_member: bool,
    /// Country, ISO 3166-1 alpha-2 (e.g. `FR`, `TG`).
    #[oai(validator(pattern = "^[A-Za-z]{2}$"))]
    pub country: Text,
}

/// Changes to an organisation; absent fields are left as they are.
#[derive(Debug, Object)]
pub struct UpdateOrganisationRequest {
    /// New name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: Patch<Text>,
    /// Member of the federation.
    pub is_member: Patch<bool>,
    /// Country, ISO 3166-1 alpha-2.
    #[oai(validator(pattern = "^[A-Za-z]{2}$"))]
    pub country: Patch<Text>,
    /// `false` deactivates, `true` reactivates.
    pub active: Patch<bool>,
}

created_response!(
    OrganisationCreated,
    OrganisationView,
    "The organisation was created; `Location` is its URL."
);

ok_response!(OrganisationOk, OrganisationView, "The organisation.");

ok_response!(
    OrganisationsOk,
    PageView<OrganisationView>,
    "A page of organisations."
);

#[derive(Default)]
pub struct OrganisationsApi;

#[OpenApi(prefix_path = "/api/v1/organisations", tag = "ApiTags::Organisations")]
impl OrganisationsApi {
    /// List organisations
    ///
    /// Administrators see every organisation; everyone else sees their own.
    #[oai(path = "/", method = "get", operation_id = "list_organisations")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<OrganisationsOk, { AUTH | PARAMS }> {
        let page = page_request(limit, cursor);
        let found = service::list_organisations(&state.db, &auth.0, &page).await?;
        Ok(OrganisationsOk::Ok(Json(PageView::of(found))))
    }

    /// Create an organisation
    ///
    /// Administrators only.
    #[oai(path = "/", method = "post", operation_id = "create_organisation")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<CreateOrganisationRequest>,
    ) -> ApiResult<OrganisationCreated, { AUTH | BODY | FORBIDDEN }> {
        let body = body.0;
        let new = NewOrganisation {
            name: body.name.into_inner(),
            is_member: body.is_member,
            country: body.country.into_inner(),
        };
        let mut tx = state.begin().await?;
        let created = service::create_organisation(&mut tx, &auth.0, new).await?;
        tx.commit().await?;
        let location = format!("/api/v1/organisations/{}", created.id);
        Ok(OrganisationCreated::Created(Json(created.into()), location))
    }

    /// Get an organisation
    ///
    /// Administrators see any organisation; others only their own (404 otherwise).
    #[oai(path = "/:id", method = "get", operation_id = "get_organisation")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Organisation id.
        id: Path<Uuid>,
    ) -> ApiResult<OrganisationOk, { AUTH | PARAMS | NOT_FOUND }> {
        Ok(OrganisationOk::Ok(Json(
            service::get_organisation(&state.db, &auth.0, id.0)
                .await?
                .into(),
        )))
    }

    /// Update an organisation
    ///
    /// Administrators only.
    #[oai(path = "/:id", method = "patch", operation_id = "update_organisation")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Organisation id.
        id: Path<Uuid>,
        body: JsonBody<UpdateOrganisationRequest>,
    ) -> ApiResult<OrganisationOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let body = body.0;
        let changes = OrganisationChanges {
            name: text(body.name.get()),
            is_member: body.is_member.get(),
            country: text(body.country.get()),
            active: body.active.get(),
        };
        let mut tx = state.begin().await?;
        let updated = service::update_organisation(&mut tx, &auth.0, id.0, changes).await?;
        tx.commit().await?;
        Ok(OrganisationOk::Ok(Json(updated.into())))
    }
}
