//! Everything that can go wrong with documents, with its stable code.

use sea_orm::DbErr;

use crate::accounts::service::AccountsError;
use crate::attendance::service::AttendanceError;
use crate::catalogue::service::CatalogueError;
use crate::documents::render::RenderError;
use crate::enrolment::service::EnrolmentError;
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
    /// A refusal of enrolment that documents passes on as it is.
    #[error(transparent)]
    Enrolment(EnrolmentError),
    /// A refusal of the catalogue that documents passes on as it is.
    #[error(transparent)]
    Catalogue(CatalogueError),
    /// A refusal of attendance that documents passes on as it is.
    #[error(transparent)]
    Attendance(AttendanceError),
    /// A refusal of accounts that documents passes on as it is.
    #[error(transparent)]
    Accounts(AccountsError),
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
            Self::Enrolment(error) => return error.code(),
            Self::Catalogue(error) => return error.code(),
            Self::Attendance(error) => return error.code(),
            Self::Accounts(error) => return error.code(),
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
            Self::Enrolment(error) => error.kind(),
            Self::Catalogue(error) => error.kind(),
            Self::Attendance(error) => error.kind(),
            Self::Accounts(error) => error.kind(),
            Self::Render(_) | Self::Archive(_) | Self::Db(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            Self::Enrolment(error) => error.fields(),
            Self::Catalogue(error) => error.fields(),
            Self::Attendance(error) => error.fields(),
            Self::Accounts(error) => error.fields(),
            _ => None,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            Self::Enrolment(error) => error.db(),
            Self::Catalogue(error) => error.db(),
            Self::Attendance(error) => error.db(),
            Self::Accounts(error) => error.db(),
            _ => None,
        }
    }
}

impl From<EnrolmentError> for DocumentsError {
    fn from(error: EnrolmentError) -> Self {
        match error {
            EnrolmentError::Db(db) => Self::Db(db),
            // Deliberate and documented: an enrolment the caller may not see is, in documents'
            // words, an enrolment not found; a convocation never issued is not issued yet.
            EnrolmentError::NotFound => Self::EnrolmentNotFound,
            EnrolmentError::ConvocationNotFound => Self::ConvocationNotIssued,
            other => Self::Enrolment(other),
        }
    }
}

impl From<CatalogueError> for DocumentsError {
    fn from(error: CatalogueError) -> Self {
        match error {
            CatalogueError::Db(db) => Self::Db(db),
            other => Self::Catalogue(other),
        }
    }
}

impl From<AttendanceError> for DocumentsError {
    fn from(error: AttendanceError) -> Self {
        match error {
            AttendanceError::Db(db) => Self::Db(db),
            // Deliberate and documented: attendance hides a session whose sheet the caller may
            // not see; the attendance sheet's operation answers it as documents' own 404.
            AttendanceError::SessionNotFound => Self::SessionNotFound,
            other => Self::Attendance(other),
        }
    }
}

impl From<AccountsError> for DocumentsError {
    fn from(error: AccountsError) -> Self {
        match error {
            AccountsError::Db(db) => Self::Db(db),
            other => Self::Accounts(other),
        }
    }
}

pub type Result<T> = std::result::Result<T, DocumentsError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_contexts_refusal_keeps_its_code_and_kind_unless_documents_names_it() {
        let cancelled = DocumentsError::from(EnrolmentError::AlreadyCancelled);
        let closed = DocumentsError::from(AttendanceError::SessionClosed);
        let organisation = DocumentsError::from(AccountsError::OrganisationNotFound);
        let hidden = DocumentsError::from(EnrolmentError::NotFound);
        let not_convoked = DocumentsError::from(EnrolmentError::ConvocationNotFound);
        let no_sheet = DocumentsError::from(AttendanceError::SessionNotFound);
        let failed = DocumentsError::from(CatalogueError::Db(DbErr::RecordNotFound("x".into())));

        assert_eq!(cancelled.code(), Some("enrolment.already_cancelled"));
        assert_eq!(cancelled.kind(), Kind::Conflict);
        assert_eq!(closed.code(), Some("attendance.session_closed"));
        assert_eq!(closed.kind(), Kind::Conflict);
        assert_eq!(organisation.kind(), Kind::NotFound);
        assert_eq!(hidden.code(), Some("documents.enrolment_not_found"));
        assert_eq!(
            not_convoked.code(),
            Some("documents.convocation_not_issued")
        );
        assert_eq!(no_sheet.code(), Some("documents.session_not_found"));
        assert_eq!(failed.kind(), Kind::Internal);
        assert!(failed.db().is_some() && failed.code().is_none());
    }
}
