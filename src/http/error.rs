//! The one error body of the API, and the mapping of every context's errors onto it.

use std::collections::BTreeMap;

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

/// The body of every error response.
#[derive(Debug, Clone, Object)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `auth.invalid_credentials`.
    pub code: String,
    /// Human-readable explanation, in English.
    pub message: String,
    /// Field-level problems, by field name (validation errors only).
    #[oai(skip_serializing_if_is_none)]
    pub fields: Option<BTreeMap<String, Vec<String>>>,
    /// Identifier of an internal error, to quote when reporting it (500 only).
    #[oai(skip_serializing_if_is_none)]
    pub error_id: Option<String>,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: None,
            error_id: None,
        }
    }
}

/// Every error status an operation can answer, each with the same JSON body.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request is malformed: invalid JSON, a field of the wrong type or outside the schema's
    /// limits, an invalid parameter.
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// No valid bearer token, or wrong credentials.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// The caller is authenticated but their role does not allow this operation.
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// No such object, or one the caller may not see.
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The object's state forbids this operation, or it conflicts with another one.
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The request body exceeds the size limit.
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// The request body is not `application/json`.
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// The request is well-formed but breaks a rule; `fields` names the offending fields.
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// Too many attempts; retry after the number of seconds in `Retry-After`.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] u64),
    /// An internal error; the body carries only an id to quote.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The service is temporarily unable to answer (database unavailable, shutting down).
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>),
}

impl ApiError {
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::BadRequest(Json(ErrorBody::new(code, message)))
    }
    pub fn unauthorized(code: &str, message: impl Into<String>) -> Self {
        Self::Unauthorized(Json(ErrorBody::new(code, message)))
    }
    pub fn forbidden(code: &str, message: impl Into<String>) -> Self {
        Self::Forbidden(Json(ErrorBody::new(code, message)))
    }
    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::NotFound(Json(ErrorBody::new(code, message)))
    }
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::Conflict(Json(ErrorBody::new(code, message)))
    }
    pub fn unprocessable(
        code: &str,
        message: impl Into<String>,
        fields: BTreeMap<String, Vec<String>>,
    ) -> Self {
        let mut body = ErrorBody::new(code, message);
        body.fields = Some(fields);
        Self::Unprocessable(Json(body))
    }
    pub fn too_many_requests(code: &str, message: impl Into<String>, retry_after: u64) -> Self {
        Self::TooManyRequests(Json(ErrorBody::new(code, message)), retry_after)
    }
    pub fn unavailable(code: &str, message: impl Into<String>) -> Self {
        Self::Unavailable(Json(ErrorBody::new(code, message)))
    }

    /// An internal error: logs the whole chain with a fresh id, answers only the id.
    pub fn internal(chain: &str) -> Self {
        let error_id = uuid::Uuid::new_v4().to_string();
        tracing::error!(error_id = %error_id, error = %chain, "internal error");
        let mut body = ErrorBody::new(
            "internal",
            "Internal error; quote the error_id when reporting it.",
        );
        body.error_id = Some(error_id);
        Self::Internal(Json(body))
    }
}

/// An error and all its sources, joined by `: `.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        if is_pool_timeout(&error) {
            return Self::unavailable("service.busy", "The database is busy; retry shortly.");
        }
        Self::internal(&error_chain(&error))
    }
}

fn is_pool_timeout(error: &sea_orm::DbErr) -> bool {
    matches!(error, sea_orm::DbErr::ConnectionAcquire(_))
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;
