//! Everything that can go wrong in attendance, with its stable code.

use sea_orm::DbErr;

use crate::attendance::model::Flag;
use crate::attendance::signature::SignatureProblem;
use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("half-day not found")]
    SlotNotFound,
    #[error("session not found")]
    SessionNotFound,
    #[error("the session was never closed")]
    ClosureNotFound,
    #[error("this person is not a confirmed trainee of the session")]
    TraineeNotFound,
    #[error("no mark recorded for this person and half-day")]
    MarkNotFound,
    #[error("signature not found")]
    SignatureNotFound,
    #[error("{0}")]
    Signature(SignatureProblem),
    #[error("the signature image was not uploaded: upload it first, then retry")]
    SignatureMissing,
    #[error("a signature is required here")]
    SignatureRequired,
    #[error("the session is draft or cancelled")]
    SessionNotOpen,
    #[error("the session is closed: reopen it first")]
    SessionClosed,
    #[error("the session is not closed")]
    SessionNotClosed,
    #[error("the half-day is countersigned: an administrator must reopen it first")]
    SlotCountersigned,
    #[error("the half-day is not countersigned")]
    SlotNotCountersigned,
    #[error("the half-day has not started yet")]
    SlotNotStarted,
    #[error("a trainee checks in only from 30 minutes before the half-day to 2 hours after it")]
    OutsideCheckInWindow,
    #[error("the session's last half-day has not ended")]
    SessionNotOver,
    #[error("the checks raised flags: closing needs a justification")]
    FlagsNeedJustification(Vec<Flag>),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Catalogue(crate::catalogue::service::CatalogueError),
    #[error(transparent)]
    Enrolment(crate::enrolment::service::EnrolmentError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl AttendanceError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "attendance.forbidden",
        "attendance.slot_not_found",
        "attendance.closure_not_found",
        "attendance.session_not_found",
        "attendance.trainee_not_found",
        "attendance.mark_not_found",
        "attendance.signature_not_found",
        "attendance.signature_too_large",
        "attendance.signature_not_png",
        "attendance.signature_corrupt",
        "attendance.signature_dimensions",
        "attendance.signature_blank",
        "attendance.signature_required",
        "attendance.signature_missing",
        "attendance.session_not_open",
        "attendance.session_closed",
        "attendance.session_not_closed",
        "attendance.slot_countersigned",
        "attendance.slot_not_countersigned",
        "attendance.slot_not_started",
        "attendance.outside_check_in_window",
        "attendance.session_not_over",
        "attendance.flags_need_justification",
        "attendance.invalid",
    ];
}

impl Refusal for AttendanceError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Forbidden(_) => "attendance.forbidden",
            Self::SlotNotFound => "attendance.slot_not_found",
            Self::ClosureNotFound => "attendance.closure_not_found",
            Self::SessionNotFound => "attendance.session_not_found",
            Self::TraineeNotFound => "attendance.trainee_not_found",
            Self::MarkNotFound => "attendance.mark_not_found",
            Self::SignatureNotFound => "attendance.signature_not_found",
            Self::Signature(SignatureProblem::TooLarge) => "attendance.signature_too_large",
            Self::Signature(SignatureProblem::NotPng) => "attendance.signature_not_png",
            Self::Signature(SignatureProblem::Corrupt) => "attendance.signature_corrupt",
            Self::Signature(SignatureProblem::Dimensions) => "attendance.signature_dimensions",
            Self::Signature(SignatureProblem::Blank) => "attendance.signature_blank",
            Self::SignatureRequired => "attendance.signature_required",
            Self::SignatureMissing => "attendance.signature_missing",
            Self::SessionNotOpen => "attendance.session_not_open",
            Self::SessionClosed => "attendance.session_closed",
            Self::SessionNotClosed => "attendance.session_not_closed",
            Self::SlotCountersigned => "attendance.slot_countersigned",
            Self::SlotNotCountersigned => "attendance.slot_not_countersigned",
            Self::SlotNotStarted => "attendance.slot_not_started",
            Self::OutsideCheckInWindow => "attendance.outside_check_in_window",
            Self::SessionNotOver => "attendance.session_not_over",
            Self::FlagsNeedJustification(_) => "attendance.flags_need_justification",
            Self::Invalid(_) => "attendance.invalid",
            Self::Catalogue(error) => return error.code(),
            Self::Enrolment(error) => return error.code(),
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) => Kind::Forbidden,
            Self::SlotNotFound
            | Self::SessionNotFound
            | Self::ClosureNotFound
            | Self::TraineeNotFound
            | Self::MarkNotFound
            | Self::SignatureNotFound => Kind::NotFound,
            Self::SessionNotOpen
            | Self::SessionClosed
            | Self::SessionNotClosed
            | Self::SlotCountersigned
            | Self::SlotNotCountersigned
            | Self::SlotNotStarted
            | Self::OutsideCheckInWindow
            | Self::SessionNotOver
            | Self::FlagsNeedJustification(_) => Kind::Conflict,
            Self::Signature(_)
            | Self::SignatureRequired
            | Self::SignatureMissing
            | Self::Invalid(_) => Kind::Invalid,
            Self::Catalogue(error) => error.kind(),
            Self::Enrolment(error) => error.kind(),
            Self::Db(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::FlagsNeedJustification(flags) => Some(std::collections::BTreeMap::from([(
                "justification".to_owned(),
                flags
                    .iter()
                    .map(|f| format!("{}: {}", f.code, f.message))
                    .collect(),
            )])),
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            Self::Catalogue(error) => error.fields(),
            Self::Enrolment(error) => error.fields(),
            _ => None,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            Self::Catalogue(error) => error.db(),
            Self::Enrolment(error) => error.db(),
            _ => None,
        }
    }
}

impl From<crate::catalogue::service::CatalogueError> for AttendanceError {
    fn from(error: crate::catalogue::service::CatalogueError) -> Self {
        match error {
            crate::catalogue::service::CatalogueError::Db(db) => Self::Db(db),
            other => Self::Catalogue(other),
        }
    }
}

impl From<crate::enrolment::service::EnrolmentError> for AttendanceError {
    fn from(error: crate::enrolment::service::EnrolmentError) -> Self {
        match error {
            crate::enrolment::service::EnrolmentError::Db(db) => Self::Db(db),
            other => Self::Enrolment(other),
        }
    }
}

// An export reads organisations' names; the read fails only as the database does.
crate::refusal::lower_faults!(AttendanceError: crate::accounts::service::AccountsError);

impl From<SignatureProblem> for AttendanceError {
    fn from(problem: SignatureProblem) -> Self {
        Self::Signature(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::service::CatalogueError;
    use crate::enrolment::service::EnrolmentError;
    use crate::http::error::ApiError;

    #[test]
    fn a_refusal_from_a_lower_context_keeps_its_code_and_status_through_attendance() {
        let error = AttendanceError::from(EnrolmentError::from(CatalogueError::SessionNotFound));
        assert_eq!(error.code(), Some("catalogue.session_not_found"));
        assert_eq!(error.kind(), Kind::NotFound);
        let answer = ApiError::from(error);
        assert_eq!(answer.status().as_u16(), 404);
    }

    #[test]
    fn a_wrapped_invalid_refusal_answers_422_with_its_fields() {
        let mut fields = FieldErrors::new();
        fields.add("capacity", "must be positive");
        let error = AttendanceError::from(CatalogueError::Invalid(fields));
        assert_eq!(error.kind(), Kind::Invalid);
        let ApiError::Unprocessable(body) = ApiError::from(error) else {
            panic!("not a 422");
        };
        assert_eq!(body.0.code, "catalogue.invalid");
        assert!(body.0.fields.is_some_and(|f| f.contains_key("capacity")));
    }

    #[test]
    fn a_database_failure_behind_a_wrapped_error_stays_internal() {
        let error = AttendanceError::from(EnrolmentError::Db(DbErr::Custom("disk".into())));
        assert!(matches!(error, AttendanceError::Db(_)));
        assert_eq!(error.kind(), Kind::Internal);
        assert_eq!(ApiError::from(error).status().as_u16(), 500);
    }
}
