//! HTTP endpoints of sync, their views and the mapping of their errors. No SQL, no rules.

use crate::http::error::{ApiError, ErrorBody, Errors, error_chain};
use crate::http::errors_of::Codes;
use crate::sync::service::SyncError;

mod devices;
mod protocol;
mod review;
mod views;

pub use devices::DevicesApi;
pub use protocol::SyncProtocolApi;
pub use review::SyncReviewApi;
pub use views::*;

/// Sync's operations, in spec order.
pub type Apis = (DevicesApi, SyncProtocolApi, SyncReviewApi);

impl From<SyncError> for ApiError {
    fn from(error: SyncError) -> Self {
        let message = error.to_string();
        let code = error.code().unwrap_or("internal");
        let body = || ErrorBody::new(code, message.clone());
        match error {
            SyncError::Forbidden(_) => ApiError::forbidden(code, message),
            SyncError::DeviceRevoked { last_seq } => {
                let mut body = body();
                body.last_seq = Some(last_seq);
                ApiError::Forbidden(poem_openapi::payload::Json(body))
            }
            SyncError::DeviceNotFound
            | SyncError::MutationNotFound
            | SyncError::ConflictNotFound => ApiError::not_found(code, message),
            SyncError::NotQuarantined => ApiError::conflict(code, message),
            SyncError::ProtocolTooOld { min, .. } => {
                let mut body = body();
                body.min_protocol = Some(min);
                ApiError::UpgradeRequired(poem_openapi::payload::Json(body))
            }
            SyncError::BlobTooLarge => {
                ApiError::PayloadTooLarge(poem_openapi::payload::Json(body()))
            }
            SyncError::ProtocolUnknown(_)
            | SyncError::BlobHashMismatch
            | SyncError::BlobInvalid(_) => {
                ApiError::unprocessable(code, message, Default::default())
            }
            SyncError::Invalid(fields) => {
                ApiError::unprocessable(code, "Some fields are invalid.", fields.into_map())
            }
            SyncError::Unavailable { last_seq } => {
                let mut body = body();
                body.last_seq = Some(last_seq);
                ApiError::Unavailable(poem_openapi::payload::Json(body))
            }
            SyncError::Attendance(error) => error.into(),
            SyncError::Clubs(error) => error.into(),
            SyncError::Catalogue(error) => error.into(),
            SyncError::Accounts(error) => error.into(),
            SyncError::Internal(error) => ApiError::internal(&error_chain(error.as_ref())),
            SyncError::Db(error) => error.into(),
        }
    }
}

impl<const S: u32, C: Codes> From<SyncError> for Errors<S, C> {
    fn from(error: SyncError) -> Self {
        ApiError::from(error).into()
    }
}
