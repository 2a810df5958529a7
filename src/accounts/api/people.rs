//! People and their roles.

use std::collections::BTreeSet;

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use crate::http::nullable::Nullable;

use super::RoleView;
use super::text;
use crate::accounts::model::{NewPerson, PeopleFilter, Person, PersonChanges, Role};
use crate::accounts::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::{EmailText, Text};
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// A person and their roles.
#[derive(Debug, Object)]
pub struct PersonView {
    /// Identifier.
    pub id: Uuid,
    /// E-mail, as entered.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Organisation the person belongs to, if any.
    pub organisation_id: Nullable<Uuid>,
    /// Roles held.
    pub roles: Vec<RoleView>,
    /// False once deactivated: the person can no longer log in.
    pub active: bool,
    /// When the person's personal data was erased (names and e-mail are then a pseudonym);
    /// `null` otherwise.
    pub erased_at: Nullable<Timestamp>,
    /// Creation time (UTC).
    pub created_at: Timestamp,
    /// Last change (UTC).
    pub updated_at: Timestamp,
}

impl From<Person> for PersonView {
    fn from(p: Person) -> Self {
        Self {
            id: p.id,
            email: p.email,
            first_name: p.first_name,
            last_name: p.last_name,
            organisation_id: Nullable(p.organisation_id),
            roles: p.roles.into_iter().map(RoleView::from).collect(),
            active: p.active,
            erased_at: Nullable(p.erased_at.map(Into::into)),
            created_at: p.created_at.into(),
            updated_at: p.updated_at.into(),
        }
    }
}

/// A new person.
#[derive(Debug, Object)]
pub struct CreatePersonRequest {
    /// E-mail, unique regardless of case.
    pub email: EmailText,
    /// First name (1–200 characters).
    #[oai(validator(min_length = 1, max_length = 200))]
    pub first_name: Text,
    /// Last name (1–200 characters).
    #[oai(validator(min_length = 1, max_length = 200))]
    pub last_name: Text,
    /// Organisation; org managers may omit it (their own) and may not name another.
    #[oai(nullable)]
    pub organisation_id: Option<Uuid>,
    /// Roles; `member` when omitted or empty. Org managers grant only `member` and `org_manager`.
    #[oai(nullable)]
    pub roles: Option<Vec<RoleView>>,
    /// Initial password (12–256 characters); without one the person cannot log in yet.
    #[oai(nullable, validator(min_length = 12, max_length = 256))]
    pub password: Option<Text>,
}

/// Changes to a person; absent fields are left as they are.
#[derive(Debug, Object)]
pub struct UpdatePersonRequest {
    /// New e-mail (administrators and org managers).
    pub email: Patch<EmailText>,
    /// New first name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub first_name: Patch<Text>,
    /// New last name.
    #[oai(validator(min_length = 1, max_length = 200))]
    pub last_name: Patch<Text>,
    /// New organisation, or `null` for none (administrators only); absent leaves it unchanged.
    #[oai(nullable)]
    pub organisation_id: MaybeUndefined<Uuid>,
    /// New set of roles (org managers: `member` and `org_manager` only).
    pub roles: Patch<Vec<RoleView>>,
    /// `false` deactivates the person and revokes their tokens; `true` reactivates.
    pub active: Patch<bool>,
    /// New password (administrators only); revokes the person's tokens.
    #[oai(validator(min_length = 12, max_length = 256))]
    pub password: Patch<Text>,
}

created_response!(
    PersonCreated,
    PersonView,
    "The person was created; `Location` is its URL."
);

ok_response!(PersonOk, PersonView, "The person.");

ok_response!(PeopleOk, PageView<PersonView>, "A page of people.");

fn roles_of(roles: Option<Vec<RoleView>>) -> BTreeSet<Role> {
    roles
        .unwrap_or_default()
        .into_iter()
        .map(Role::from)
        .collect()
}

#[derive(Default)]
pub struct PeopleApi;

#[OpenApi(prefix_path = "/api/v1/people", tag = "ApiTags::People")]
impl PeopleApi {
    /// List people
    ///
    /// Administrators see everyone; org managers the people of their organisation; others get 403.
    #[oai(path = "/", method = "get", operation_id = "list_people")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only people of this organisation.
        organisation_id: Query<Option<Uuid>>,
        /// Only people holding this role.
        role: Query<Option<RoleView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<PeopleOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let filter = PeopleFilter {
            organisation_id: organisation_id.0,
            role: role.0.map(Role::from),
            nobody: false,
        };
        let found = service::list_people(&state.db, &auth.0, filter, &page).await?;
        Ok(PeopleOk::Ok(Json(PageView::of(found))))
    }

    /// Create a person
    ///
    /// Administrators create anyone. Org managers create people of their own organisation
    /// (naming another organisation answers 404, as if it did not exist) with the `member` or
    /// `org_manager` roles. Others get 403.
    #[oai(path = "/", method = "post", operation_id = "create_person")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<CreatePersonRequest>,
    ) -> ApiResult<PersonCreated, { AUTH | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let body = body.0;
        let new = NewPerson {
            email: body.email.into_inner(),
            first_name: body.first_name.into_inner(),
            last_name: body.last_name.into_inner(),
            organisation_id: body.organisation_id,
            roles: roles_of(body.roles),
            password: text(body.password),
        };
        let prepared = service::prepare_person(&auth.0, new).await?;
        let mut tx = state.begin().await?;
        let person = service::create_person(&mut tx, prepared).await?;
        tx.commit().await?;
        let location = format!("/api/v1/people/{}", person.id);
        Ok(PersonCreated::Created(Json(person.into()), location))
    }

    /// Get a person
    ///
    /// Visible to administrators, to org managers of the person's organisation and to the person
    /// themselves; 404 for anyone else.
    #[oai(path = "/:id", method = "get", operation_id = "get_person")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id.
        id: Path<Uuid>,
    ) -> ApiResult<PersonOk, { AUTH | PARAMS | NOT_FOUND }> {
        Ok(PersonOk::Ok(Json(
            service::get_person(&state.db, &auth.0, id.0).await?.into(),
        )))
    }

    /// Update a person
    ///
    /// Administrators change anything; org managers change names, e-mail, activity and the
    /// member/org_manager roles of their organisation's people; a person changes their own names.
    /// Deactivating revokes every token of the person. 409 `accounts.person_erased` once the
    /// person's personal data was erased (the record keeps its pseudonym for good).
    #[oai(path = "/:id", method = "patch", operation_id = "update_person")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id.
        id: Path<Uuid>,
        body: JsonBody<UpdatePersonRequest>,
    ) -> ApiResult<PersonOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let body = body.0;
        let changes = PersonChanges {
            email: body.email.get().map(EmailText::into_inner),
            first_name: text(body.first_name.get()),
            last_name: text(body.last_name.get()),
            organisation_id: match body.organisation_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(org) => Some(Some(org)),
            },
            roles: body
                .roles
                .get()
                .map(|r| r.into_iter().map(Role::from).collect()),
            active: body.active.get(),
            password: text(body.password.get()),
        };
        let prepared = service::prepare_person_changes(changes).await?;
        let mut tx = state.begin().await?;
        let person = service::update_person(&mut tx, &auth.0, id.0, prepared).await?;
        tx.commit().await?;
        Ok(PersonOk::Ok(Json(person.into())))
    }
}
