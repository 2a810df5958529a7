//! HTTP endpoints of attendance, their views and the mapping of its errors. No SQL, no rules.

use crate::attendance::service::AttendanceError;
use crate::http::error::{ApiError, Errors};

mod absences;
mod marks;
mod sessions;
mod slots;
mod views;

pub use absences::AbsencesApi;
pub use marks::{MarkBody, MarksApi};
pub use sessions::SessionAttendanceApi;
pub use slots::SlotsApi;
pub use views::*;

/// Attendance's operations, in spec order.
pub type Apis = (MarksApi, SlotsApi, SessionAttendanceApi, AbsencesApi);

impl From<AttendanceError> for ApiError {
    fn from(error: AttendanceError) -> Self {
        let message = error.to_string();
        let code = error.code().unwrap_or("internal");
        match error {
            AttendanceError::Forbidden(_) => ApiError::forbidden(code, message),
            AttendanceError::SlotNotFound
            | AttendanceError::SessionNotFound
            | AttendanceError::ClosureNotFound
            | AttendanceError::TraineeNotFound
            | AttendanceError::MarkNotFound
            | AttendanceError::SignatureNotFound => ApiError::not_found(code, message),
            AttendanceError::SessionNotOpen
            | AttendanceError::SessionClosed
            | AttendanceError::SessionNotClosed
            | AttendanceError::SlotCountersigned
            | AttendanceError::SlotNotCountersigned
            | AttendanceError::SlotNotStarted
            | AttendanceError::OutsideCheckInWindow
            | AttendanceError::SessionNotOver => ApiError::conflict(code, message),
            AttendanceError::FlagsNeedJustification(flags) => {
                let mut fields = std::collections::BTreeMap::new();
                fields.insert(
                    "justification".to_owned(),
                    flags
                        .iter()
                        .map(|f| format!("{}: {}", f.code, f.message))
                        .collect(),
                );
                let mut error = ApiError::conflict(code, message);
                if let ApiError::Conflict(body) = &mut error {
                    body.0.fields = Some(fields);
                }
                error
            }
            AttendanceError::Signature(_)
            | AttendanceError::SignatureRequired
            | AttendanceError::SignatureMissing => {
                ApiError::unprocessable(code, message, Default::default())
            }
            AttendanceError::Invalid(fields) => {
                ApiError::unprocessable(code, "Some fields are invalid.", fields.into_map())
            }
            AttendanceError::Db(error) => error.into(),
        }
    }
}

impl<const S: u32> From<AttendanceError> for Errors<S> {
    fn from(error: AttendanceError) -> Self {
        ApiError::from(error).into()
    }
}
