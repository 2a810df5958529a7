//! Logging in and out, the current account and its password.

use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::people::{PersonOk, PersonView};
use crate::accounts::service;
use crate::http::auth::{AuthFuture, Authenticator, BearerAuth, Public};
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::responses::NoContent;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// Credentials.
#[derive(Debug, Object)]
pub struct LoginRequest {
    /// E-mail of the account (case does not matter).
    #[oai(validator(min_length = 1, max_length = 254))]
    pub email: Text,
    /// Password.
    #[oai(validator(min_length = 1, max_length = 256))]
    pub password: Text,
}

/// A bearer token and its owner.
///
/// - `person`: The logged-in person.
#[derive(Debug, Object)]
pub struct LoginResponse {
    /// Opaque bearer token; send it as `Authorization: Bearer <token>`. Shown only once.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When the token stops working.
    pub expires_at: Timestamp,
    pub person: PersonView,
}

/// A change of one's own password.
#[derive(Debug, Object)]
pub struct ChangePasswordRequest {
    /// The current password.
    #[oai(validator(min_length = 1, max_length = 256))]
    pub current_password: Text,
    /// The new password (12–256 characters).
    #[oai(validator(min_length = 12, max_length = 256))]
    pub new_password: Text,
}

ok_response!(
    LoginOk,
    LoginResponse,
    "Logged in: the token and its owner."
);

#[derive(Default)]
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
        _public: Public,
        state: Data<&AppState>,
        req: &Request,
        body: JsonBody<LoginRequest>,
    ) -> ApiResult<LoginOk, { BODY | UNAUTHORIZED | TOO_MANY }> {
        let client = crate::http::auth::client_address(req);
        let body = body.0;
        let session = service::login(
            &state.db,
            &state.login,
            state.clock.now(),
            body.email.as_str(),
            body.password.into_inner(),
            &client,
        )
        .await?;
        Ok(LoginOk::Ok(Json(LoginResponse {
            token: session.token,
            token_type: "Bearer".into(),
            expires_at: session.expires_at.into(),
            person: session.person.into(),
        })))
    }

    /// Log out
    ///
    /// Revokes the bearer token used for this request.
    #[oai(path = "/auth/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<NoContent, { AUTH }> {
        let mut tx = state.begin().await?;
        service::logout(&mut tx, &auth.0).await?;
        tx.commit().await?;
        Ok(NoContent::Done)
    }

    /// The current account
    ///
    /// The person the bearer token belongs to, with their roles.
    #[oai(path = "/me", method = "get", operation_id = "get_me")]
    async fn me(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<PersonOk, { AUTH }> {
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
        body: JsonBody<ChangePasswordRequest>,
    ) -> ApiResult<NoContent, { AUTH | BODY }> {
        let body = body.0;
        let prepared = service::prepare_password_change(
            &state.db,
            &auth.0,
            body.current_password.into_inner(),
            body.new_password.into_inner(),
        )
        .await?;
        let mut tx = state.begin().await?;
        service::change_own_password(&mut tx, &auth.0, prepared).await?;
        tx.commit().await?;
        Ok(NoContent::Done)
    }
}

/// Bearer tokens checked against the stored token digests: the [`Authenticator`] of the
/// service (built by `lib.rs`).
pub struct TokenAuthenticator {
    pub db: sea_orm::DatabaseConnection,
    pub clock: crate::clock::Clock,
}

impl Authenticator for TokenAuthenticator {
    fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a> {
        Box::pin(async move { Ok(service::authenticate(&self.db, self.clock.now(), token).await?) })
    }
}
