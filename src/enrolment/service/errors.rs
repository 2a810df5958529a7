//! Everything that can go wrong in enrolment, with its stable code.

use sea_orm::DbErr;

use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum EnrolmentError {
    #[error("enrolment not found")]
    NotFound,
    #[error("accommodation request not found")]
    AccommodationNotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("no convocation was issued for this enrolment")]
    ConvocationNotFound,
    #[error("training not found")]
    TrainingNotFound,
    #[error("the training has no positioning questionnaire")]
    QuestionnaireNotFound,
    #[error("the positioning questionnaire is not answered yet")]
    PositioningNotFound,
    #[error("only a confirmed enrolment is convoked")]
    NotConfirmed,
    #[error("session not found in the catalogue")]
    SessionNotFound,
    #[error("the session is closed or cancelled")]
    SessionNotOpen,
    #[error("the enrolment deadline has passed")]
    DeadlinePassed,
    #[error("the session has started")]
    SessionStarted,
    #[error("the session has started and has no free seat: a late enrolment needs one")]
    SessionFull,
    #[error("every half-day of the session has ended: there is none left to attend")]
    SessionOver,
    #[error("person not found")]
    PersonNotFound,
    #[error("the person's account is deactivated")]
    PersonInactive,
    #[error("the person is already enrolled in this session (confirmed or waitlisted)")]
    AlreadyEnrolled,
    #[error("the enrolment is already cancelled")]
    AlreadyCancelled,
    #[error("the session is closed: its enrolments are completed")]
    AlreadyCompleted,
    #[error("this Idempotency-Key was already used for another enrolment")]
    IdempotencyKeyReused,
    #[error("too many enrolment requests; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Catalogue(crate::catalogue::service::CatalogueError),
    #[error(transparent)]
    Accounts(crate::accounts::service::AccountsError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<crate::catalogue::service::CatalogueError> for EnrolmentError {
    fn from(error: crate::catalogue::service::CatalogueError) -> Self {
        match error {
            crate::catalogue::service::CatalogueError::Db(db) => Self::Db(db),
            other => Self::Catalogue(other),
        }
    }
}

impl From<crate::accounts::service::AccountsError> for EnrolmentError {
    fn from(error: crate::accounts::service::AccountsError) -> Self {
        match error {
            crate::accounts::service::AccountsError::Db(db) => Self::Db(db),
            other => Self::Accounts(other),
        }
    }
}

impl EnrolmentError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "enrolment.not_found",
        "enrolment.accommodation_not_found",
        "enrolment.forbidden",
        "enrolment.convocation_not_found",
        "enrolment.training_not_found",
        "enrolment.questionnaire_not_found",
        "enrolment.positioning_not_found",
        "enrolment.not_confirmed",
        "enrolment.session_not_found",
        "enrolment.session_not_open",
        "enrolment.deadline_passed",
        "enrolment.session_started",
        "enrolment.session_full",
        "enrolment.session_over",
        "enrolment.person_not_found",
        "enrolment.person_inactive",
        "enrolment.already_enrolled",
        "enrolment.already_cancelled",
        "enrolment.already_completed",
        "enrolment.idempotency_key_reused",
        "enrolment.rate_limited",
        "enrolment.invalid",
    ];
}

impl Refusal for EnrolmentError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::NotFound => "enrolment.not_found",
            Self::AccommodationNotFound => "enrolment.accommodation_not_found",
            Self::Forbidden(_) => "enrolment.forbidden",
            Self::ConvocationNotFound => "enrolment.convocation_not_found",
            Self::TrainingNotFound => "enrolment.training_not_found",
            Self::QuestionnaireNotFound => "enrolment.questionnaire_not_found",
            Self::PositioningNotFound => "enrolment.positioning_not_found",
            Self::NotConfirmed => "enrolment.not_confirmed",
            Self::SessionNotFound => "enrolment.session_not_found",
            Self::SessionNotOpen => "enrolment.session_not_open",
            Self::DeadlinePassed => "enrolment.deadline_passed",
            Self::SessionStarted => "enrolment.session_started",
            Self::SessionFull => "enrolment.session_full",
            Self::SessionOver => "enrolment.session_over",
            Self::PersonNotFound => "enrolment.person_not_found",
            Self::PersonInactive => "enrolment.person_inactive",
            Self::AlreadyEnrolled => "enrolment.already_enrolled",
            Self::AlreadyCancelled => "enrolment.already_cancelled",
            Self::AlreadyCompleted => "enrolment.already_completed",
            Self::IdempotencyKeyReused => "enrolment.idempotency_key_reused",
            Self::RateLimited { .. } => "enrolment.rate_limited",
            Self::Invalid(_) => "enrolment.invalid",
            Self::Catalogue(error) => return error.code(),
            Self::Accounts(error) => return error.code(),
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) => Kind::Forbidden,
            Self::NotFound
            | Self::ConvocationNotFound
            | Self::TrainingNotFound
            | Self::QuestionnaireNotFound
            | Self::PositioningNotFound
            | Self::AccommodationNotFound
            | Self::SessionNotFound
            | Self::PersonNotFound => Kind::NotFound,
            Self::SessionNotOpen
            | Self::DeadlinePassed
            | Self::SessionStarted
            | Self::SessionFull
            | Self::SessionOver
            | Self::PersonInactive
            | Self::AlreadyEnrolled
            | Self::AlreadyCancelled
            | Self::AlreadyCompleted
            | Self::NotConfirmed => Kind::Conflict,
            Self::IdempotencyKeyReused | Self::Invalid(_) => Kind::Invalid,
            Self::RateLimited { retry_after_secs } => Kind::RateLimited {
                retry_after_secs: *retry_after_secs,
            },
            Self::Catalogue(error) => error.kind(),
            Self::Accounts(error) => error.kind(),
            Self::Db(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            Self::Catalogue(error) => error.fields(),
            Self::Accounts(error) => error.fields(),
            _ => None,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            Self::Catalogue(error) => error.db(),
            Self::Accounts(error) => error.db(),
            _ => None,
        }
    }
}
