//! What can go wrong in the evidence context, with its stable code.

use sea_orm::DbErr;

use crate::documents::service::RenderError;
use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// Not an administrator: the evidence does not exist for them.
    #[error("no such evidence")]
    NotFound,
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The bundle's archive is not written yet (or its job failed).
    #[error("the bundle is not ready")]
    BundleNotReady,
    /// The PDF failed to render (a template or font fault: ours, never the caller's).
    #[error("the report's PDF failed to render")]
    Render(#[source] RenderError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl EvidenceError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "evidence.not_found",
        "evidence.invalid",
        "evidence.bundle_not_ready",
    ];

    /// One field's refusal.
    pub fn invalid(field: &str, message: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        Self::Invalid(errors)
    }
}

impl Refusal for EvidenceError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::NotFound => "evidence.not_found",
            Self::Invalid(_) => "evidence.invalid",
            Self::BundleNotReady => "evidence.bundle_not_ready",
            Self::Render(_) | Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::NotFound => Kind::NotFound,
            Self::Invalid(_) => Kind::Invalid,
            Self::BundleNotReady => Kind::Conflict,
            Self::Render(_) | Self::Db(_) => Kind::Internal,
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

crate::refusal::lower_faults!(
    EvidenceError:
    crate::catalogue::service::CatalogueError,
    crate::enrolment::service::EnrolmentError,
    crate::attendance::service::AttendanceError,
    crate::documents::service::DocumentsError,
    crate::quality::service::QualityError,
);
