//! HTTP endpoints of the accounts context: login/logout, the current account, organisations and
//! people. No SQL and no rules here: requests are decoded, handed to the service, answered.

use super::service::AccountsError;
use crate::http::error::ApiError;
use crate::http::text::Text;

pub mod auth;
pub mod organisations;
pub mod people;

pub use auth::AuthApi;
pub use organisations::OrganisationsApi;
pub use people::PeopleApi;

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

pub use crate::http::responses::NoContent;

pub(crate) fn text(value: Option<Text>) -> Option<String> {
    value.map(Text::into_inner)
}
