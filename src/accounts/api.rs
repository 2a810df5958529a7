//! HTTP endpoints of the accounts context: login/logout, the current account, organisations and
//! people. No SQL and no rules here: requests are decoded, handed to the service, answered.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::model::{
    NewOrganisation, NewPerson, Organisation, OrganisationChanges, PeopleFilter, Person,
    PersonChanges, Role,
};
use super::service::{self, AccountsError};
use crate::http::auth::BearerAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::pagination::PageRequest;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

impl From<AccountsError> for ApiError {
    fn from(error: AccountsError) -> Self {
        let message = error.to_string();
        match error {
            AccountsError::InvalidCredentials => {
                ApiError::unauthorized("auth.invalid_credentials", message)
            }
            AccountsError::InvalidToken => ApiError::unauthorized("auth.invalid_token", message),
            AccountsError::RateLimited { retry_after_secs } => {
                ApiError::too_many_requests("auth.rate_limited", message, retry_after_secs)
            }
            AccountsError::Forbidden(_) => ApiError::forbidden("accounts.forbidden", message),
            AccountsError::PersonNotFound => {
                ApiError::not_found("accounts.person_not_found", message)
            }
            AccountsError::OrganisationNotFound => {
                ApiError::not_found("accounts.organisation_not_found", message)
            }
            AccountsError::EmailTaken => ApiError::conflict("accounts.email_taken", message),
            AccountsError::Invalid(fields) => ApiError::unprocessable(
                "accounts.invalid",
                "Some fields are invalid.",
                fields.into_map(),
            ),
            AccountsError::Db(error) => error.into(),
            AccountsError::Hash(error) => ApiError::internal(&error.to_string()),
        }
    }
}

// ---- payloads -----------------------------------------------------------------------------

/// Credentials.
#[derive(Debug, Object)]
pub struct LoginRequest {
    /// E-mail of the account (case does not matter).
    #[oai(validator(max_length = 254))]
    pub email: Text,
    /// Password.
    #[oai(validator(max_length = 256))]
    pub password: Text,
}

/// A bearer token and its owner.
#[derive(Debug, Object)]
pub struct LoginResponse {
    /// Opaque bearer token; send it as `Authorization: Bearer <token>`. Shown only once.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// The logged-in person.
    pub person: PersonView,
}

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
    pub organisation_id: Option<Uuid>,
    /// Roles held.
    pub roles: Vec<Role>,
    /// False once deactivated: the person can no longer log in.
    pub active: bool,
    /// Creation time (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<Person> for PersonView {
    fn from(p: Person) -> Self {
        Self {
            id: p.id,
            email: p.email,
            first_name: p.first_name,
            last_name: p.last_name,
            organisation_id: p.organisation_id,
            roles: p.roles.into_iter().collect(),
            active: p.active,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A new person.
#[derive(Debug, Object)]
pub struct CreatePersonRequest {
    /// E-mail, unique regardless of case.
    #[oai(validator(max_length = 254))]
    pub email: Text,
    /// First name (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub first_name: Text,
    /// Last name (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub last_name: Text,
    /// Organisation; org managers may omit it (their own) and may not name another.
    pub organisation_id: Option<Uuid>,
    /// Roles; `member` when omitted or empty. Org managers grant only `member` and `org_manager`.
    pub roles: Option<Vec<Role>>,
    /// Initial password (12–256 characters); without one the person cannot log in yet.
    #[oai(validator(max_length = 256))]
    pub password: Option<Text>,
}

/// Changes to a person; absent fields are left as they are.
#[derive(Debug, Object)]
pub struct UpdatePersonRequest {
    /// New e-mail (administrators and org managers).
    #[oai(validator(max_length = 254))]
    pub email: Option<Text>,
    /// New first name.
    #[oai(validator(max_length = 200))]
    pub first_name: Option<Text>,
    /// New last name.
    #[oai(validator(max_length = 200))]
    pub last_name: Option<Text>,
    /// New organisation, or `null` for none (administrators only).
    pub organisation_id: MaybeUndefined<Uuid>,
    /// New set of roles (org managers: `member` and `org_manager` only).
    pub roles: Option<Vec<Role>>,
    /// `false` deactivates the person and revokes their tokens; `true` reactivates.
    pub active: Option<bool>,
    /// New password (administrators only); revokes the person's tokens.
    #[oai(validator(max_length = 256))]
    pub password: Option<Text>,
}

/// A page of people.
#[derive(Debug, Object)]
pub struct PeoplePage {
    /// People, by creation order.
    pub items: Vec<PersonView>,
    /// Cursor of the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A change of one's own password.
#[derive(Debug, Object)]
pub struct ChangePasswordRequest {
    /// The current password.
    #[oai(validator(max_length = 256))]
    pub current_password: Text,
    /// The new password (12–256 characters).
    #[oai(validator(max_length = 256))]
    pub new_password: Text,
}

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
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<Organisation> for OrganisationView {
    fn from(o: Organisation) -> Self {
        Self {
            id: o.id,
            name: o.name,
            is_member: o.is_member,
            country: o.country,
            active: o.active,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// A new organisation.
#[derive(Debug, Object)]
pub struct CreateOrganisationRequest {
    /// Name (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub name: Text,
    /// Member of the federation.
    pub is_member: bool,
    /// Country, ISO 3166-1 alpha-2 (e.g. `FR`, `TG`).
    #[oai(validator(max_length = 2))]
    pub country: Text,
}

/// Changes to an organisation; absent fields are left as they are.
#[derive(Debug, Object)]
pub struct UpdateOrganisationRequest {
    /// New name.
    #[oai(validator(max_length = 200))]
    pub name: Option<Text>,
    /// Member of the federation.
    pub is_member: Option<bool>,
    /// Country, ISO 3166-1 alpha-2.
    #[oai(validator(max_length = 2))]
    pub country: Option<Text>,
    /// `false` deactivates, `true` reactivates.
    pub active: Option<bool>,
}

/// A page of organisations.
#[derive(Debug, Object)]
pub struct OrganisationsPage {
    /// Organisations, by creation order.
    pub items: Vec<OrganisationView>,
    /// Cursor of the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

// ---- responses ----------------------------------------------------------------------------

#[derive(ApiResponse)]
pub enum NoContent {
    /// Done.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
pub enum PersonCreated {
    /// The person was created; `Location` is its URL.
    #[oai(status = 201)]
    Created(Json<PersonView>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
pub enum OrganisationCreated {
    /// The organisation was created; `Location` is its URL.
    #[oai(status = 201)]
    Created(Json<OrganisationView>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
pub enum LoginOk {
    /// Logged in: the token and its owner.
    #[oai(status = 200)]
    Ok(Json<LoginResponse>),
}

#[derive(ApiResponse)]
pub enum PersonOk {
    /// The person.
    #[oai(status = 200)]
    Ok(Json<PersonView>),
}

#[derive(ApiResponse)]
pub enum PeopleOk {
    /// A page of people.
    #[oai(status = 200)]
    Ok(Json<PeoplePage>),
}

#[derive(ApiResponse)]
pub enum OrganisationOk {
    /// The organisation.
    #[oai(status = 200)]
    Ok(Json<OrganisationView>),
}

#[derive(ApiResponse)]
pub enum OrganisationsOk {
    /// A page of organisations.
    #[oai(status = 200)]
    Ok(Json<OrganisationsPage>),
}

fn roles_of(roles: Option<Vec<Role>>) -> BTreeSet<Role> {
    roles.unwrap_or_default().into_iter().collect()
}

fn text(value: Option<Text>) -> Option<String> {
    value.map(Text::into_inner)
}

// ---- endpoints ----------------------------------------------------------------------------

pub struct AuthApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Log in
    ///
    /// Exchanges an e-mail and a password for a bearer token. An unknown e-mail and a wrong
    /// password get the same 401. After repeated failures for one account or one client address,
    /// attempts get 429 with `Retry-After`.
    #[oai(path = "/auth/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<LoginOk> {
        // The client's IP without its port: each new connection has a new port.
        let client = req.remote_addr().as_socket_addr().map_or_else(
            || req.remote_addr().to_string(),
            |addr| addr.ip().to_string(),
        );
        let body = body.0;
        let session = service::login(
            &state.db,
            &state.login,
            body.email.as_str(),
            body.password.into_inner(),
            &client,
        )
        .await?;
        Ok(LoginOk::Ok(Json(LoginResponse {
            token: session.token,
            token_type: "Bearer".into(),
            expires_at: session.expires_at,
            person: session.person.into(),
        })))
    }

    /// Log out
    ///
    /// Revokes the bearer token used for this request.
    #[oai(path = "/auth/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<NoContent> {
        service::logout(&state.db, &auth.0).await?;
        Ok(NoContent::Done)
    }

    /// The current account
    ///
    /// The person the bearer token belongs to, with their roles.
    #[oai(path = "/me", method = "get", operation_id = "get_me")]
    async fn me(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<PersonOk> {
        Ok(PersonOk::Ok(Json(
            service::me(&state.db, &auth.0).await?.into(),
        )))
    }

    /// Change my password
    ///
    /// Checks the current password, sets the new one and revokes every other token of the
    /// account (the one used here stays valid).
    #[oai(
        path = "/me/password",
        method = "put",
        operation_id = "change_my_password"
    )]
    async fn change_password(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ChangePasswordRequest>,
    ) -> ApiResult<NoContent> {
        let body = body.0;
        service::change_own_password(
            &state.db,
            &auth.0,
            body.current_password.into_inner(),
            body.new_password.into_inner(),
        )
        .await?;
        Ok(NoContent::Done)
    }
}

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
        role: Query<Option<Role>>,
        /// Page size (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u32>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<PeopleOk> {
        let page = PageRequest::parse(limit.0, cursor.0.as_deref())?;
        let filter = PeopleFilter {
            organisation_id: organisation_id.0,
            role: role.0,
        };
        let rows =
            service::list_people(&state.db, &auth.0, filter, page.after, page.fetch()).await?;
        let (items, next_cursor) = page.finish(rows, |p| p.id);
        Ok(PeopleOk::Ok(Json(PeoplePage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
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
        body: Json<CreatePersonRequest>,
    ) -> ApiResult<PersonCreated> {
        let body = body.0;
        let new = NewPerson {
            email: body.email.into_inner(),
            first_name: body.first_name.into_inner(),
            last_name: body.last_name.into_inner(),
            organisation_id: body.organisation_id,
            roles: roles_of(body.roles),
            password: text(body.password),
        };
        let person = service::create_person(&state.db, &auth.0, new).await?;
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
    ) -> ApiResult<PersonOk> {
        Ok(PersonOk::Ok(Json(
            service::get_person(&state.db, &auth.0, id.0).await?.into(),
        )))
    }

    /// Update a person
    ///
    /// Administrators change anything; org managers change names, e-mail, activity and the
    /// member/org_manager roles of their organisation's people; a person changes their own names.
    /// Deactivating revokes every token of the person.
    #[oai(path = "/:id", method = "patch", operation_id = "update_person")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id.
        id: Path<Uuid>,
        body: Json<UpdatePersonRequest>,
    ) -> ApiResult<PersonOk> {
        let body = body.0;
        let changes = PersonChanges {
            email: text(body.email),
            first_name: text(body.first_name),
            last_name: text(body.last_name),
            organisation_id: match body.organisation_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(org) => Some(Some(org)),
            },
            roles: body.roles.map(|r| r.into_iter().collect()),
            active: body.active,
            password: text(body.password),
        };
        Ok(PersonOk::Ok(Json(
            service::update_person(&state.db, &auth.0, id.0, changes)
                .await?
                .into(),
        )))
    }
}

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
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        limit: Query<Option<u32>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<String>>,
    ) -> ApiResult<OrganisationsOk> {
        let page = PageRequest::parse(limit.0, cursor.0.as_deref())?;
        let rows =
            service::list_organisations(&state.db, &auth.0, page.after, page.fetch()).await?;
        let (items, next_cursor) = page.finish(rows, |o| o.id);
        Ok(OrganisationsOk::Ok(Json(OrganisationsPage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
    }

    /// Create an organisation
    ///
    /// Administrators only.
    #[oai(path = "/", method = "post", operation_id = "create_organisation")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<CreateOrganisationRequest>,
    ) -> ApiResult<OrganisationCreated> {
        let body = body.0;
        let new = NewOrganisation {
            name: body.name.into_inner(),
            is_member: body.is_member,
            country: body.country.into_inner(),
        };
        let created = service::create_organisation(&state.db, &auth.0, new).await?;
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
    ) -> ApiResult<OrganisationOk> {
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
        body: Json<UpdateOrganisationRequest>,
    ) -> ApiResult<OrganisationOk> {
        let body = body.0;
        let changes = OrganisationChanges {
            name: text(body.name),
            is_member: body.is_member,
            country: text(body.country),
            active: body.active,
        };
        Ok(OrganisationOk::Ok(Json(
            service::update_organisation(&state.db, &auth.0, id.0, changes)
                .await?
                .into(),
        )))
    }
}
