//! Everything that can go wrong in clubs, with its stable code.

use sea_orm::DbErr;

use crate::attendance::service::AttendanceError;
use crate::refusal::{Kind, Refusal};
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum ClubsError {
    #[error("club not found")]
    ClubNotFound,
    #[error("meeting not found")]
    MeetingNotFound,
    #[error("this person is not a member of the club")]
    MemberNotFound,
    #[error("person not found")]
    PersonNotFound,
    #[error("resource not found")]
    ResourceNotFound,
    #[error("this meeting has no minutes yet")]
    MinutesNotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("this club is open to people of the federation's member organisations")]
    FederationMembersOnly,
    #[error("the club is archived")]
    ClubArchived,
    #[error("this person was removed from the club; an animator may add them again")]
    MembershipRemoved,
    #[error("this membership is not waiting for a decision")]
    NotPending,
    #[error("an animator does not leave the club; an administrator changes its animators")]
    AnimatorCannotLeave,
    #[error("an animator is not removed; an administrator changes the club's animators")]
    IsAnimator,
    #[error("the meeting is cancelled")]
    MeetingCancelled,
    #[error("the meeting was held")]
    MeetingHeld,
    #[error("the meeting is over")]
    MeetingOver,
    #[error("the meeting is full")]
    MeetingFull,
    #[error("attendance is recorded from 30 minutes before the meeting starts")]
    MeetingNotStarted,
    #[error("the minutes changed since the version you edited")]
    MinutesChanged,
    #[error("the file is larger than {0} bytes")]
    FileTooLarge(usize),
    #[error("files of this type are not accepted: {0}")]
    FileTypeNotAllowed(String),
    #[error("the file name is not acceptable: {0}")]
    BadFileName(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Attendance(AttendanceError),
    #[error(transparent)]
    Accounts(crate::accounts::service::AccountsError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<AttendanceError> for ClubsError {
    fn from(error: AttendanceError) -> Self {
        match error {
            AttendanceError::Db(db) => Self::Db(db),
            other => Self::Attendance(other),
        }
    }
}

impl From<crate::accounts::service::AccountsError> for ClubsError {
    fn from(error: crate::accounts::service::AccountsError) -> Self {
        match error {
            crate::accounts::service::AccountsError::Db(db) => Self::Db(db),
            other => Self::Accounts(other),
        }
    }
}

impl ClubsError {
    /// Every code this context's errors answer with (the spec lists each one; attendance's
    /// signature codes are attendance's).
    pub const CODES: &[&str] = &[
        "clubs.club_not_found",
        "clubs.meeting_not_found",
        "clubs.member_not_found",
        "clubs.person_not_found",
        "clubs.resource_not_found",
        "clubs.minutes_not_found",
        "clubs.forbidden",
        "clubs.federation_members_only",
        "clubs.club_archived",
        "clubs.membership_removed",
        "clubs.not_pending",
        "clubs.animator_cannot_leave",
        "clubs.is_animator",
        "clubs.meeting_cancelled",
        "clubs.meeting_held",
        "clubs.meeting_over",
        "clubs.meeting_full",
        "clubs.meeting_not_started",
        "clubs.minutes_changed",
        "clubs.file_too_large",
        "clubs.file_type_not_allowed",
        "clubs.bad_file_name",
        "clubs.invalid",
    ];
}

impl Refusal for ClubsError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::ClubNotFound => "clubs.club_not_found",
            Self::MeetingNotFound => "clubs.meeting_not_found",
            Self::MemberNotFound => "clubs.member_not_found",
            Self::PersonNotFound => "clubs.person_not_found",
            Self::ResourceNotFound => "clubs.resource_not_found",
            Self::MinutesNotFound => "clubs.minutes_not_found",
            Self::Forbidden(_) => "clubs.forbidden",
            Self::FederationMembersOnly => "clubs.federation_members_only",
            Self::ClubArchived => "clubs.club_archived",
            Self::MembershipRemoved => "clubs.membership_removed",
            Self::NotPending => "clubs.not_pending",
            Self::AnimatorCannotLeave => "clubs.animator_cannot_leave",
            Self::IsAnimator => "clubs.is_animator",
            Self::MeetingCancelled => "clubs.meeting_cancelled",
            Self::MeetingHeld => "clubs.meeting_held",
            Self::MeetingOver => "clubs.meeting_over",
            Self::MeetingFull => "clubs.meeting_full",
            Self::MeetingNotStarted => "clubs.meeting_not_started",
            Self::MinutesChanged => "clubs.minutes_changed",
            Self::FileTooLarge(_) => "clubs.file_too_large",
            Self::FileTypeNotAllowed(_) => "clubs.file_type_not_allowed",
            Self::BadFileName(_) => "clubs.bad_file_name",
            Self::Invalid(_) => "clubs.invalid",
            Self::Attendance(error) => return error.code(),
            Self::Accounts(error) => return error.code(),
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) | Self::FederationMembersOnly => Kind::Forbidden,
            Self::ClubNotFound
            | Self::MeetingNotFound
            | Self::MemberNotFound
            | Self::PersonNotFound
            | Self::ResourceNotFound
            | Self::MinutesNotFound => Kind::NotFound,
            Self::ClubArchived
            | Self::MembershipRemoved
            | Self::NotPending
            | Self::AnimatorCannotLeave
            | Self::IsAnimator
            | Self::MeetingCancelled
            | Self::MeetingHeld
            | Self::MeetingOver
            | Self::MeetingFull
            | Self::MeetingNotStarted
            | Self::MinutesChanged => Kind::Conflict,
            Self::FileTooLarge(_) => Kind::TooLarge,
            Self::FileTypeNotAllowed(_) | Self::BadFileName(_) | Self::Invalid(_) => Kind::Invalid,
            Self::Attendance(error) => error.kind(),
            Self::Accounts(error) => error.kind(),
            Self::Db(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            Self::Attendance(error) => error.fields(),
            Self::Accounts(error) => error.fields(),
            _ => None,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            Self::Attendance(error) => error.db(),
            Self::Accounts(error) => error.db(),
            _ => None,
        }
    }
}
