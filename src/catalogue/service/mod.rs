//! The rules of the catalogue: what a valid programme, room and session are, and the life cycles
//! of trainings and sessions. Who may do what is in [`super::policy`]. Writes take the caller's
//! [`crate::db::write::WriteTx`].

use sea_orm::DbErr;
use uuid::Uuid;

use super::model::SessionStatus;
use crate::principal::Principal;
use crate::refusal::{Kind, Refusal};
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
    #[error("training not found")]
    TrainingNotFound,
    #[error("no version of the training was in force at that time")]
    VersionNotFound,
    #[error("session not found")]
    SessionNotFound,
    #[error("room not found")]
    RoomNotFound,
    #[error("trainer not found")]
    TrainerNotFound,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("an archived training cannot be edited")]
    TrainingArchived,
    #[error("publish the training before its sessions")]
    TrainingNotPublished,
    #[error("the session is {}", status_word(*.0))]
    SessionFrozen(SessionStatus),
    #[error(
        "the session has started (or would start in the past) with confirmed trainees: its first half-day cannot move"
    )]
    SessionStarted,
    #[error(
        "half-days this change removes or moves hold attendance marks or a countersignature (listed in `fields.slot_ids`); say `on_marks: keep_history` to archive them"
    )]
    SlotsHoldMarks(Vec<uuid::Uuid>),
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn status_word(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Draft => "draft",
        SessionStatus::Published => "published",
        SessionStatus::Closed => "closed",
        SessionStatus::Cancelled => "cancelled",
    }
}

impl CatalogueError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "catalogue.forbidden",
        "catalogue.training_not_found",
        "catalogue.version_in_force_not_found",
        "catalogue.session_not_found",
        "catalogue.room_not_found",
        "catalogue.trainer_not_found",
        "catalogue.invalid",
        "catalogue.training_archived",
        "catalogue.training_not_published",
        "catalogue.session_frozen",
        "catalogue.session_started",
        "catalogue.slots_hold_marks",
    ];
}

impl Refusal for CatalogueError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Forbidden(_) => "catalogue.forbidden",
            Self::TrainingNotFound => "catalogue.training_not_found",
            Self::VersionNotFound => "catalogue.version_in_force_not_found",
            Self::SessionNotFound => "catalogue.session_not_found",
            Self::RoomNotFound => "catalogue.room_not_found",
            Self::TrainerNotFound => "catalogue.trainer_not_found",
            Self::Invalid(_) => "catalogue.invalid",
            Self::TrainingArchived => "catalogue.training_archived",
            Self::TrainingNotPublished => "catalogue.training_not_published",
            Self::SessionFrozen(_) => "catalogue.session_frozen",
            Self::SessionStarted => "catalogue.session_started",
            Self::SlotsHoldMarks(_) => "catalogue.slots_hold_marks",
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) => Kind::Forbidden,
            Self::TrainingNotFound
            | Self::VersionNotFound
            | Self::SessionNotFound
            | Self::RoomNotFound
            | Self::TrainerNotFound => Kind::NotFound,
            Self::Invalid(_) => Kind::Invalid,
            Self::TrainingArchived
            | Self::TrainingNotPublished
            | Self::SessionFrozen(_)
            | Self::SessionStarted
            | Self::SlotsHoldMarks(_) => Kind::Conflict,
            Self::Db(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            Self::SlotsHoldMarks(slot_ids) => Some(
                [(
                    "slot_ids".to_owned(),
                    slot_ids.iter().map(Uuid::to_string).collect(),
                )]
                .into(),
            ),
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

pub type Result<T> = std::result::Result<T, CatalogueError>;

pub(crate) fn require_admin(principal: &Principal) -> Result<()> {
    if super::policy::may_manage(principal) {
        Ok(())
    } else {
        Err(CatalogueError::Forbidden(
            "only administrators manage the catalogue",
        ))
    }
}

pub(crate) fn invalid(errors: FieldErrors) -> Result<()> {
    errors.into_result().map_err(CatalogueError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_error_has_a_listed_code() {
        let errors = [
            CatalogueError::Forbidden("x"),
            CatalogueError::TrainingNotFound,
            CatalogueError::VersionNotFound,
            CatalogueError::SessionNotFound,
            CatalogueError::RoomNotFound,
            CatalogueError::TrainerNotFound,
            CatalogueError::Invalid(FieldErrors::new()),
            CatalogueError::TrainingArchived,
            CatalogueError::TrainingNotPublished,
            CatalogueError::SessionFrozen(SessionStatus::Closed),
            CatalogueError::SessionStarted,
            CatalogueError::SlotsHoldMarks(vec![Uuid::nil()]),
        ];
        for error in &errors {
            let code = error.code().unwrap_or_default();
            assert!(
                CatalogueError::CODES.contains(&code),
                "{code} is not listed"
            );
        }
        assert_eq!(errors.len(), CatalogueError::CODES.len());
    }
}
