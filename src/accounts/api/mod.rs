//! HTTP endpoints of the accounts context: login/logout, the current account, organisations and
//! people. No SQL and no rules here: requests are decoded, handed to the service, answered.

use super::service::AccountsError;
use crate::http::error::{ApiError, Errors};
use crate::http::text::Text;

pub mod auth;
pub mod organisations;
pub mod people;
mod role;

pub use auth::AuthApi;
pub use organisations::OrganisationsApi;
pub use people::PeopleApi;
pub use role::RoleView;

/// The accounts context's operations, in spec order.
pub type Apis = (AuthApi, OrganisationsApi, PeopleApi);

impl From<AccountsError> for ApiError {
    fn from(error: AccountsError) -> Self {
        let message = error.to_string();
        let code = error.code().unwrap_or("internal");
        match error {
            AccountsError::InvalidCredentials | AccountsError::InvalidToken => {
                ApiError::unauthorized(code, message)
            }
            AccountsError::RateLimited { retry_after_secs } => {
                ApiError::too_many_requests(code, message, retry_after_secs)
            }
            AccountsError::Forbidden(_) => ApiError::forbidden(code, message),
            AccountsError::PersonNotFound | AccountsError::OrganisationNotFound => {
                ApiError::not_found(code, message)
            }
            AccountsError::EmailTaken => ApiError::conflict(code, message),
            AccountsError::Invalid(fields) => {
                ApiError::unprocessable(code, "Some fields are invalid.", fields.into_map())
            }
            AccountsError::Db(error) => error.into(),
            AccountsError::Hash(error) => ApiError::internal(&error.to_string()),
        }
    }
}

pub(crate) fn text(value: Option<Text>) -> Option<String> {
    value.map(Text::into_inner)
}

impl<const S: u32> From<AccountsError> for Errors<S> {
    fn from(error: AccountsError) -> Self {
        ApiError::from(error).into()
    }
}
