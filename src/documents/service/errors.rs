//! Everything that can go wrong with documents, with its stable code.

use sea_orm::DbErr;

use crate::documents::render::RenderError;
use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum DocumentsError {
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("enrolment not found")]
    EnrolmentNotFound,
    #[error("session not found")]
    SessionNotFound,
    #[error("certificate not found")]
    CertificateNotFound,
    #[error("no assessment was recorded for this trainee")]
    AssessmentNotFound,
    #[error("the provider's identity is not set yet")]
    ProviderNotSet,
    #[error("no convocation was issued for this enrolment")]
    ConvocationNotIssued,
    #[error("the session is not closed: its attendance is not final")]
    SessionNotClosed,
    #[error("this enrolment holds no seat (cancelled or waitlisted)")]
    NoSeat,
    #[error("the provider's identity is not set: an administrator sets it first")]
    ProviderMissing,
    #[error("the certificate is already revoked")]
    AlreadyRevoked,
    #[error("too many unknown certificate codes from this address; retry in {retry_after_secs} s")]
    TooManyLookups { retry_after_secs: u64 },
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("the archive could not be written: {0}")]
    Archive(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl DocumentsError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "documents.forbidden",
        "documents.enrolment_not_found",
        "documents.session_not_found",
        "documents.certificate_not_found",
        "documents.convocation_not_issued",
        "documents.assessment_not_found",
        "documents.provider_not_set",
        "documents.session_not_closed",
        "documents.no_seat",
        "documents.provider_missing",
        "documents.already_revoked",
        "documents.too_many_lookups",
        "documents.invalid",
    ];
}

impl Refusal for DocumentsError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Forbidden(_) => "documents.forbidden",
            Self::EnrolmentNotFound => "documents.enrolment_not_found",
            Self::SessionNotFound => "documents.session_not_found",
            Self::CertificateNotFound => "documents.certificate_not_found",
            Self::ConvocationNotIssued => "documents.convocation_not_issued",
            Self::AssessmentNotFound => "documents.assessment_not_found",
            Self::ProviderNotSet => "documents.provider_not_set",
            Self::SessionNotClosed => "documents.session_not_closed",
            Self::NoSeat => "documents.no_seat",
            Self::ProviderMissing => "documents.provider_missing",
            Self::AlreadyRevoked => "documents.already_revoked",
            Self::TooManyLookups { .. } => "documents.too_many_lookups",
            Self::Invalid(_) => "documents.invalid",
            Self::Render(_) | Self::Archive(_) | Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) => Kind::Forbidden,
            Self::EnrolmentNotFound
            | Self::SessionNotFound
            | Self::CertificateNotFound
            | Self::ConvocationNotIssued
            | Self::AssessmentNotFound
            | Self::ProviderNotSet => Kind::NotFound,
            Self::SessionNotClosed
            | Self::NoSeat
            | Self::ProviderMissing
            | Self::AlreadyRevoked => Kind::Conflict,
            Self::TooManyLookups { retry_after_secs } => Kind::RateLimited {
                retry_after_secs: *retry_after_secs,
            },
            Self::Invalid(_) => Kind::Invalid,
            Self::Render(_) | Self::Archive(_) | Self::Db(_) => Kind::Internal,
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

impl From<crate::enrolment::service::EnrolmentError> for DocumentsError {
    fn from(error: crate::enrolment::service::EnrolmentError) -> Self {
        use crate::enrolment::service::EnrolmentError as E;
        match error {
            E::Db(db) => Self::Db(db),
            E::ConvocationNotFound => Self::ConvocationNotIssued,
            _ => Self::EnrolmentNotFound,
        }
    }
}

impl From<crate::catalogue::service::CatalogueError> for DocumentsError {
    fn from(error: crate::catalogue::service::CatalogueError) -> Self {
        match error {
            crate::catalogue::service::CatalogueError::Db(db) => Self::Db(db),
            _ => Self::SessionNotFound,
        }
    }
}

impl From<crate::attendance::service::AttendanceError> for DocumentsError {
    fn from(error: crate::attendance::service::AttendanceError) -> Self {
        match error {
            crate::attendance::service::AttendanceError::Db(db) => Self::Db(db),
            _ => Self::SessionNotFound,
        }
    }
}

impl From<crate::accounts::service::AccountsError> for DocumentsError {
    fn from(error: crate::accounts::service::AccountsError) -> Self {
        match error {
            crate::accounts::service::AccountsError::Db(db) => Self::Db(db),
            other => Self::Db(DbErr::Custom(other.to_string())),
        }
    }
}

pub type Result<T> = std::result::Result<T, DocumentsError>;
