//! The one error body of the API, and the mapping of every context's errors onto it.

use std::collections::BTreeMap;

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

use crate::refusal::{Kind, Refusal};

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
    /// Sync only (`sync.unavailable`, `sync.device_revoked`): the highest mutation sequence
    /// number the server has processed for the device; resend from the next one.
    #[oai(skip_serializing_if_is_none)]
    pub last_seq: Option<i64>,
    /// Sync only (`sync.protocol_too_old`): the lowest protocol version the server speaks.
    #[oai(skip_serializing_if_is_none)]
    pub min_protocol: Option<i32>,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: None,
            error_id: None,
            last_seq: None,
            min_protocol: None,
        }
    }
}

/// Every error status an operation can answer, each with the same JSON body.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request is malformed: invalid JSON, a field of the wrong type, an invalid parameter
    /// (`request.malformed`, `request.invalid_parameter`).
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// No valid bearer token, or wrong credentials (`auth.unauthenticated`, `auth.invalid_token`,
    /// `auth.invalid_credentials`).
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// The caller is authenticated but their role does not allow this operation
    /// (`accounts.forbidden`, `catalogue.forbidden`, `enrolment.forbidden`).
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// No such object, or one the caller may not see (`accounts.person_not_found`,
    /// `accounts.organisation_not_found`, `catalogue.training_not_found`,
    /// `catalogue.version_in_force_not_found`, `catalogue.session_not_found`,
    /// `catalogue.room_not_found`, `catalogue.trainer_not_found`, `enrolment.not_found`,
    /// `enrolment.session_not_found`, `enrolment.person_not_found`,
    /// `enrolment.accommodation_not_found`, `enrolment.convocation_not_found`,
    /// `enrolment.training_not_found`, `enrolment.questionnaire_not_found`,
    /// `enrolment.positioning_not_found`).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The object's state forbids this operation, or it conflicts with another one
    /// (`accounts.email_taken`, `catalogue.training_archived`, `catalogue.training_not_published`,
    /// `catalogue.session_frozen`, `enrolment.session_not_open`, `enrolment.deadline_passed`,
    /// `enrolment.session_started`, `enrolment.already_enrolled`, `enrolment.person_inactive`,
    /// `enrolment.already_cancelled`, `enrolment.not_confirmed`).
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The request body exceeds the size limit (`request.too_large`).
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// The request body is not `application/json` (`request.unsupported_media_type`).
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// The client speaks a protocol older than the server's minimum, given in `min_protocol`
    /// (`sync.protocol_too_old`): update the app.
    #[oai(status = 426)]
    UpgradeRequired(Json<ErrorBody>),
    /// The request is well-formed but breaks a rule; `fields` names the offending fields
    /// (`request.invalid`: a limit the schema states; `accounts.invalid`, `catalogue.invalid`,
    /// `enrolment.invalid`: a rule of the service; `enrolment.idempotency_key_reused`).
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// Too many attempts; retry after the number of seconds in `Retry-After`
    /// (`auth.rate_limited`).
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] u64),
    /// An internal error; the body carries only an id to quote (`internal`).
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The service is temporarily unable to answer: database busy or unavailable, shutting down
    /// (`service.busy`).
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>),
}

impl ApiError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> poem::http::StatusCode {
        use poem::http::StatusCode as S;
        match self {
            Self::BadRequest(_) => S::BAD_REQUEST,
            Self::Unauthorized(_) => S::UNAUTHORIZED,
            Self::Forbidden(_) => S::FORBIDDEN,
            Self::NotFound(_) => S::NOT_FOUND,
            Self::Conflict(_) => S::CONFLICT,
            Self::PayloadTooLarge(_) => S::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => S::UNSUPPORTED_MEDIA_TYPE,
            Self::UpgradeRequired(_) => S::UPGRADE_REQUIRED,
            Self::Unprocessable(_) => S::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests(..) => S::TOO_MANY_REQUESTS,
            Self::Internal(_) => S::INTERNAL_SERVER_ERROR,
            Self::Unavailable(_) => S::SERVICE_UNAVAILABLE,
        }
    }

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

/// Every context's error answers through its [`Refusal`]: the kind decides the status, once.
impl<E: Refusal> From<E> for ApiError {
    fn from(error: E) -> Self {
        let code = error.code().unwrap_or("internal");
        let message = error.to_string();
        match error.kind() {
            Kind::Unauthenticated => Self::unauthorized(code, message),
            Kind::Forbidden => Self::forbidden(code, message),
            Kind::NotFound => Self::not_found(code, message),
            Kind::Conflict => {
                let mut body = ErrorBody::new(code, message);
                body.fields = error.fields();
                Self::Conflict(Json(body))
            }
            Kind::TooLarge => Self::PayloadTooLarge(Json(ErrorBody::new(code, message))),
            Kind::Invalid => match error.fields() {
                Some(fields) => Self::unprocessable(code, "Some fields are invalid.", fields),
                None => Self::unprocessable(code, message, BTreeMap::new()),
            },
            Kind::RateLimited { retry_after_secs } => {
                Self::too_many_requests(code, message, retry_after_secs)
            }
            Kind::Internal => match error.db() {
                Some(db) if is_pool_timeout(db) => {
                    Self::unavailable("service.busy", "The database is busy; retry shortly.")
                }
                _ => Self::internal(&error_chain(&error)),
            },
        }
    }
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

/// The codes the plumbing itself answers with (every context adds its own).
pub const PLUMBING_CODES: &[&str] = &[
    "request.malformed",
    "request.invalid_parameter",
    "request.invalid",
    "request.too_large",
    "request.unsupported_media_type",
    "route.not_found",
    "route.method_not_allowed",
    "auth.unauthenticated",
    "service.busy",
    "internal",
];

pub use super::errors_of::{ApiResult, Errors, status};
