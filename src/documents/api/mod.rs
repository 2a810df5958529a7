//! HTTP endpoints of documents, their views and the mapping of its errors. No SQL, no rules.

mod assessments;
mod certificates;
mod files;
mod provider;
mod views;

pub use assessments::AssessmentsApi;
pub use certificates::CertificatesApi;
pub use files::FilesApi;
pub use provider::ProviderApi;
pub use views::*;

use crate::documents::service::DocumentsError;
use crate::http::error::{ApiError, Errors, error_chain};

/// The documents' operations, in spec order.
pub type Apis = (FilesApi, CertificatesApi, AssessmentsApi, ProviderApi);

impl From<DocumentsError> for ApiError {
    fn from(error: DocumentsError) -> Self {
        let message = error.to_string();
        let code = error.code().unwrap_or("internal");
        match error {
            DocumentsError::Forbidden(_) => ApiError::forbidden(code, message),
            DocumentsError::EnrolmentNotFound
            | DocumentsError::SessionNotFound
            | DocumentsError::CertificateNotFound
            | DocumentsError::ConvocationNotIssued
            | DocumentsError::AssessmentNotFound
            | DocumentsError::ProviderNotSet => ApiError::not_found(code, message),
            DocumentsError::SessionNotClosed
            | DocumentsError::NoSeat
            | DocumentsError::ProviderMissing
            | DocumentsError::AlreadyRevoked => ApiError::conflict(code, message),
            DocumentsError::TooManyLookups { retry_after_secs } => {
                ApiError::too_many_requests(code, message, retry_after_secs)
            }
            DocumentsError::Invalid(fields) => {
                ApiError::unprocessable(code, "Some fields are invalid.", fields.into_map())
            }
            DocumentsError::Render(render) => ApiError::internal(&error_chain(&render)),
            DocumentsError::Archive(problem) => ApiError::internal(&problem),
            DocumentsError::Db(error) => error.into(),
        }
    }
}

impl<const S: u32> From<DocumentsError> for Errors<S> {
    fn from(error: DocumentsError) -> Self {
        ApiError::from(error).into()
    }
}
