//! Everything that can go wrong in the quality records, with its stable code.

use sea_orm::DbErr;

use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl QualityError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &["quality.forbidden", "quality.invalid"];
}

impl Refusal for QualityError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Forbidden(_) => "quality.forbidden",
            Self::Invalid(_) => "quality.invalid",
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) => Kind::Forbidden,
            Self::Invalid(_) => Kind::Invalid,
            Self::Db(_) => Kind::Internal,
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
            Self::Db(error) => Some(error),
            _ => None,
        }
    }
}
