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
    #[error("no such complaint")]
    ComplaintNotFound,
    #[error("the complaint has not been acknowledged yet")]
    ComplaintNotAcknowledged,
    #[error("the complaint has not been answered yet")]
    ComplaintNotAnswered,
    #[error("this step of the complaint is already recorded")]
    ComplaintStepDone,
    #[error("no such report")]
    ReportNotFound,
    #[error("a report's steps follow one another: received, acknowledged, in progress, closed")]
    ReportStepOutOfOrder,
    #[error("too many submissions from this address")]
    RateLimited { retry_after_secs: u64 },
    #[error("no such improvement action")]
    ActionNotFound,
    #[error("no such risk")]
    RiskNotFound,
    #[error("no such watch entry")]
    WatchEntryNotFound,
    #[error("{0}")]
    TransitionNotAllowed(String),
    #[error("an action is done only once its effect is observed: say what it was")]
    EffectRequired,
    #[error("no such survey template")]
    TemplateNotFound,
    #[error("this template's questions already have answers: create a new template")]
    TemplateInUse,
    #[error("no such survey invitation")]
    InvitationNotFound,
    #[error("the survey's deadline has passed")]
    SurveyClosed,
    #[error("the survey was already submitted")]
    SurveySubmitted,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl QualityError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "quality.forbidden",
        "quality.invalid",
        "quality.complaint_not_found",
        "quality.complaint_not_acknowledged",
        "quality.complaint_not_answered",
        "quality.complaint_step_done",
        "quality.report_not_found",
        "quality.report_step_out_of_order",
        "quality.rate_limited",
        "quality.action_not_found",
        "quality.risk_not_found",
        "quality.watch_entry_not_found",
        "quality.transition_not_allowed",
        "quality.effect_required",
        "quality.template_not_found",
        "quality.template_in_use",
        "quality.invitation_not_found",
        "quality.survey_closed",
        "quality.survey_submitted",
    ];
}

impl Refusal for QualityError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Forbidden(_) => "quality.forbidden",
            Self::Invalid(_) => "quality.invalid",
            Self::ComplaintNotFound => "quality.complaint_not_found",
            Self::ComplaintNotAcknowledged => "quality.complaint_not_acknowledged",
            Self::ComplaintNotAnswered => "quality.complaint_not_answered",
            Self::ComplaintStepDone => "quality.complaint_step_done",
            Self::ReportNotFound => "quality.report_not_found",
            Self::ReportStepOutOfOrder => "quality.report_step_out_of_order",
            Self::RateLimited { .. } => "quality.rate_limited",
            Self::ActionNotFound => "quality.action_not_found",
            Self::RiskNotFound => "quality.risk_not_found",
            Self::WatchEntryNotFound => "quality.watch_entry_not_found",
            Self::TransitionNotAllowed(_) => "quality.transition_not_allowed",
            Self::EffectRequired => "quality.effect_required",
            Self::TemplateNotFound => "quality.template_not_found",
            Self::TemplateInUse => "quality.template_in_use",
            Self::InvitationNotFound => "quality.invitation_not_found",
            Self::SurveyClosed => "quality.survey_closed",
            Self::SurveySubmitted => "quality.survey_submitted",
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) => Kind::Forbidden,
            Self::ComplaintNotFound | Self::ReportNotFound => Kind::NotFound,
            Self::ComplaintNotAcknowledged
            | Self::ComplaintNotAnswered
            | Self::ComplaintStepDone
            | Self::ReportStepOutOfOrder => Kind::Conflict,
            Self::RateLimited { retry_after_secs } => Kind::RateLimited {
                retry_after_secs: *retry_after_secs,
            },
            Self::Invalid(_) | Self::EffectRequired => Kind::Invalid,
            Self::ActionNotFound | Self::RiskNotFound | Self::WatchEntryNotFound => Kind::NotFound,
            Self::TransitionNotAllowed(_) => Kind::Conflict,
            Self::TemplateNotFound | Self::InvitationNotFound => Kind::NotFound,
            Self::TemplateInUse | Self::SurveyClosed | Self::SurveySubmitted => Kind::Conflict,
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

crate::refusal::lower_faults!(
    QualityError:
    crate::catalogue::service::CatalogueError,
    crate::clubs::service::ClubsError,
    crate::enrolment::service::EnrolmentError,
    crate::attendance::service::AttendanceError,
);
