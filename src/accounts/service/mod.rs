//! The rules of the accounts context: login and tokens, and the validation and life cycle of
//! organisations and people. Who may see or change what is decided in [`super::policy`]; an
//! object the caller may not see is reported as not found. Writes take the caller's
//! [`crate::db::write::WriteTx`].

use sea_orm::DbErr;

use super::password;
use super::policy::Denied;
use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

mod auth;
mod organisations;
mod people;

pub use auth::*;
pub use organisations::*;
pub use people::*;

/// Everything that can go wrong in the accounts context.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    #[error("invalid or expired token")]
    InvalidToken,
    #[error("too many failed attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("person not found")]
    PersonNotFound,
    #[error("organisation not found")]
    OrganisationNotFound,
    #[error("a person with this e-mail already exists")]
    EmailTaken,
    #[error("this person's personal data was erased; their record can no longer change")]
    Erased,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Hash(#[from] password::HashError),
}

impl AccountsError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "auth.invalid_credentials",
        "auth.invalid_token",
        "auth.rate_limited",
        "accounts.forbidden",
        "accounts.person_not_found",
        "accounts.organisation_not_found",
        "accounts.email_taken",
        "accounts.person_erased",
        "accounts.invalid",
    ];

    fn denied(denied: Denied, hidden: Self) -> Self {
        match denied {
            Denied::Hidden => hidden,
            Denied::Forbidden(why) => Self::Forbidden(why),
        }
    }
}

impl Refusal for AccountsError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::InvalidCredentials => "auth.invalid_credentials",
            Self::InvalidToken => "auth.invalid_token",
            Self::RateLimited { .. } => "auth.rate_limited",
            Self::Forbidden(_) => "accounts.forbidden",
            Self::PersonNotFound => "accounts.person_not_found",
            Self::OrganisationNotFound => "accounts.organisation_not_found",
            Self::EmailTaken => "accounts.email_taken",
            Self::Erased => "accounts.person_erased",
            Self::Invalid(_) => "accounts.invalid",
            Self::Db(_) | Self::Hash(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::InvalidCredentials | Self::InvalidToken => Kind::Unauthenticated,
            Self::RateLimited { retry_after_secs } => Kind::RateLimited {
                retry_after_secs: *retry_after_secs,
            },
            Self::Forbidden(_) => Kind::Forbidden,
            Self::PersonNotFound | Self::OrganisationNotFound => Kind::NotFound,
            Self::EmailTaken | Self::Erased => Kind::Conflict,
            Self::Invalid(_) => Kind::Invalid,
            Self::Db(_) | Self::Hash(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            _ => None,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, AccountsError>;

fn invalid(errors: FieldErrors) -> Result<()> {
    errors.into_result().map_err(AccountsError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_accounts_error_has_a_listed_code() {
        let errors = [
            AccountsError::InvalidCredentials,
            AccountsError::InvalidToken,
            AccountsError::RateLimited {
                retry_after_secs: 1,
            },
            AccountsError::Forbidden("x"),
            AccountsError::PersonNotFound,
            AccountsError::OrganisationNotFound,
            AccountsError::EmailTaken,
            AccountsError::Erased,
            AccountsError::Invalid(FieldErrors::new()),
        ];
        for error in &errors {
            let code = error.code().unwrap_or_default();
            assert!(AccountsError::CODES.contains(&code), "{code} is not listed");
        }
        assert_eq!(errors.len(), AccountsError::CODES.len());
    }
}
