//! The rules of the accounts context: login and tokens, and who may see or change which
//! organisation and person. Authorization is decided here, per object: an object the caller may
//! not see is reported as not found.

use sea_orm::DbErr;

use super::password;
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
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Hash(#[from] password::HashError),
}

pub type Result<T> = std::result::Result<T, AccountsError>;

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}
