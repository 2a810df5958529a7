//! The rules of the catalogue: who may write (administrators), what a valid programme, room and
//! session are, and the life cycles of trainings and sessions.

use sea_orm::DbErr;

use crate::accounts::model::Principal;
use crate::validation::FieldErrors;

mod programme;
mod rooms;
mod sessions;
mod trainers;
mod trainings;

pub use rooms::*;
pub use sessions::*;
pub use trainers::*;
pub use trainings::*;

/// Everything that can go wrong in the catalogue.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error(transparent)]
    Db(#[from] DbErr),
}

pub type Result<T> = std::result::Result<T, CatalogueError>;

pub(crate) fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(CatalogueError::Forbidden(
            "only administrators manage the catalogue",
        ))
    }
}

pub(crate) fn conflict(code: &'static str, message: impl Into<String>) -> CatalogueError {
    CatalogueError::Conflict {
        code,
        message: message.into(),
    }
}

pub(crate) fn invalid(errors: FieldErrors) -> Result<()> {
    errors.into_result().map_err(CatalogueError::Invalid)
}
