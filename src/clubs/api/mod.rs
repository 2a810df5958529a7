//! HTTP endpoints of clubs, their views and the mapping of their errors. No SQL, no rules.

use crate::clubs::service::ClubsError;
use crate::http::error::{ApiError, ErrorBody, Errors};

mod clubs;
mod meetings;
mod members;
mod records;
mod views;

pub use clubs::ClubsApi;
pub use meetings::MeetingsApi;
pub use members::MembersApi;
pub use records::MeetingRecordsApi;
pub use views::*;

/// Clubs' operations, in spec order.
pub type Apis = (ClubsApi, MembersApi, MeetingsApi, MeetingRecordsApi);

impl From<ClubsError> for ApiError {
    fn from(error: ClubsError) -> Self {
        let message = error.to_string();
        let code = error.code().unwrap_or("internal");
        match error {
            ClubsError::Forbidden(_) | ClubsError::FederationMembersOnly => {
                ApiError::forbidden(code, message)
            }
            ClubsError::ClubNotFound
            | ClubsError::MeetingNotFound
            | ClubsError::MemberNotFound
            | ClubsError::PersonNotFound
            | ClubsError::ResourceNotFound
            | ClubsError::MinutesNotFound => ApiError::not_found(code, message),
            ClubsError::ClubArchived
            | ClubsError::MembershipRemoved
            | ClubsError::NotPending
            | ClubsError::AnimatorCannotLeave
            | ClubsError::IsAnimator
            | ClubsError::MeetingCancelled
            | ClubsError::MeetingHeld
            | ClubsError::MeetingOver
            | ClubsError::MeetingFull
            | ClubsError::MeetingNotStarted
            | ClubsError::MinutesChanged => ApiError::conflict(code, message),
            ClubsError::FileTooLarge(_) => ApiError::PayloadTooLarge(poem_openapi::payload::Json(
                ErrorBody::new(code, message),
            )),
            ClubsError::FileTypeNotAllowed(_) | ClubsError::BadFileName(_) => {
                ApiError::unprocessable(code, message, Default::default())
            }
            ClubsError::Invalid(fields) => {
                ApiError::unprocessable(code, "Some fields are invalid.", fields.into_map())
            }
            ClubsError::Attendance(error) => error.into(),
            ClubsError::Db(error) => error.into(),
        }
    }
}

impl<const S: u32> From<ClubsError> for Errors<S> {
    fn from(error: ClubsError) -> Self {
        ApiError::from(error).into()
    }
}
