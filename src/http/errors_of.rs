//! The errors an operation documents. Every handler returns `ApiResult<T, { … }>`, naming the
//! error statuses it can answer; the spec lists exactly those (500 and 503 always), each with the
//! one JSON error body. In debug builds — every test — answering a status the operation does not
//! declare is a failed assertion, so the suite keeps the declarations true.
//!
//! Each status's description is the shared one (`ApiError`'s, naming the codes most operations
//! answer with it), unless the operation names its own codes: `ApiResult<T, { … }, C>` with
//! `C: Codes` describing the statuses whose codes are the operation's own (sync's pull and
//! push answer 403 `sync.device_revoked`, not a role's refusal).

use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaResponses, Registry};

use super::error::ApiError;

/// Statuses as bits, to combine in an operation's declaration.
pub mod status {
    /// 400: a malformed body or parameter.
    pub const BAD_REQUEST: u32 = 1 << 0;
    /// 401: no valid token, or wrong credentials.
    pub const UNAUTHORIZED: u32 = 1 << 1;
    /// 403: the role does not allow the operation.
    pub const FORBIDDEN: u32 = 1 << 2;
    /// 404: no such object, or one the caller may not see.
    pub const NOT_FOUND: u32 = 1 << 3;
    /// 409: the object's state forbids the operation.
    pub const CONFLICT: u32 = 1 << 4;
    /// 413: the body is too large.
    pub const TOO_LARGE: u32 = 1 << 5;
    /// 415: the body is not JSON.
    pub const UNSUPPORTED: u32 = 1 << 6;
    /// 422: a field breaks a stated limit or a rule of the service.
    pub const UNPROCESSABLE: u32 = 1 << 7;
    /// 429: too many attempts.
    pub const TOO_MANY: u32 = 1 << 8;
    /// 500 and 503: every operation.
    pub const ALWAYS: u32 = (1 << 9) | (1 << 10);
    /// 426: the client's protocol is too old.
    pub const UPGRADE: u32 = 1 << 11;

    /// Path or query parameters: a value outside its schema is a 400.
    pub const PARAMS: u32 = BAD_REQUEST;
    /// A bearer token is required.
    pub const AUTH: u32 = UNAUTHORIZED;
    /// A JSON body: malformed (400), too large (413), not JSON (415), breaking a limit (422).
    pub const BODY: u32 = BAD_REQUEST | TOO_LARGE | UNSUPPORTED | UNPROCESSABLE;

    pub(crate) fn bit(code: u16) -> u32 {
        match code {
            400 => BAD_REQUEST,
            401 => UNAUTHORIZED,
            403 => FORBIDDEN,
            404 => NOT_FOUND,
            409 => CONFLICT,
            413 => TOO_LARGE,
            415 => UNSUPPORTED,
            422 => UNPROCESSABLE,
            426 => UPGRADE,
            429 => TOO_MANY,
            500 => 1 << 9,
            503 => 1 << 10,
            _ => 0,
        }
    }
}

/// The codes an operation answers with some of its statuses, when they are not the ones the
/// shared descriptions name.
pub trait Codes {
    /// The description of `status` for this operation (naming each code it can answer with
    /// it); `None` keeps the shared description.
    fn describe(status: u16) -> Option<&'static str>;
}

/// The shared descriptions, for every status.
#[derive(Debug)]
pub struct Shared;

impl Codes for Shared {
    fn describe(_status: u16) -> Option<&'static str> {
        None
    }
}

/// The error of an operation that declares the statuses `S` (bits of [`status`]), described
/// by `C`.
pub struct Errors<const S: u32, C: Codes = Shared>(pub ApiError, PhantomData<fn() -> C>);

impl<const S: u32, C: Codes> std::fmt::Debug for Errors<S, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Errors").field(&self.0).finish()
    }
}

/// What a handler returns: its success, or one of the errors it declares.
pub type ApiResult<T, const S: u32, C = Shared> = Result<T, Errors<S, C>>;

impl<const S: u32, C: Codes> Errors<S, C> {
    fn declares(code: u16) -> bool {
        (S | status::ALWAYS) & status::bit(code) != 0
    }
}

impl<const S: u32, C: Codes> From<ApiError> for Errors<S, C> {
    fn from(error: ApiError) -> Self {
        let code = error.status().as_u16();
        debug_assert!(
            Self::declares(code),
            "an operation answered {code}, which it does not declare: {error:?}"
        );
        Self(error, PhantomData)
    }
}

impl<const S: u32, C: Codes, E: crate::refusal::Refusal> From<E> for Errors<S, C> {
    fn from(error: E) -> Self {
        ApiError::from(error).into()
    }
}

impl<const S: u32, C: Codes> From<sea_orm::DbErr> for Errors<S, C> {
    fn from(error: sea_orm::DbErr) -> Self {
        ApiError::from(error).into()
    }
}

impl<const S: u32, C: Codes> ApiResponse for Errors<S, C> {
    fn meta() -> MetaResponses {
        let mut meta = ApiError::meta();
        meta.responses
            .retain(|r| r.status.is_some_and(Self::declares));
        for response in &mut meta.responses {
            if let Some(own) = response.status.and_then(C::describe) {
                response.description = own;
            }
        }
        meta
    }

    fn register(registry: &mut Registry) {
        ApiError::register(registry);
    }
}

impl<const S: u32, C: Codes> IntoResponse for Errors<S, C> {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

impl<const S: u32, C: Codes> From<Errors<S, C>> for poem::Error {
    fn from(error: Errors<S, C>) -> Self {
        poem::Error::from_response(error.0.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::status::*;
    use super::*;

    #[test]
    fn an_operation_documents_only_its_declared_statuses_and_always_500_and_503() {
        let statuses: Vec<u16> = <Errors<{ AUTH | NOT_FOUND }> as ApiResponse>::meta()
            .responses
            .iter()
            .filter_map(|r| r.status)
            .collect();
        assert_eq!(statuses, vec![401, 404, 500, 503]);
    }

    struct Own;

    impl Codes for Own {
        fn describe(status: u16) -> Option<&'static str> {
            (status == 404).then_some("No such thing (`x.not_found`).")
        }
    }

    #[test]
    fn an_operation_may_describe_its_own_codes_for_a_status() {
        let meta = <Errors<{ AUTH | NOT_FOUND }, Own> as ApiResponse>::meta();
        let described = |code: u16| {
            meta.responses
                .iter()
                .find(|r| r.status == Some(code))
                .map(|r| r.description)
                .unwrap()
        };
        assert_eq!(described(404), "No such thing (`x.not_found`).");
        assert!(described(401).contains("`auth.invalid_token`"), "shared");
    }

    #[test]
    #[should_panic(expected = "does not declare")]
    fn answering_an_undeclared_status_fails_in_debug_builds() {
        let _ = Errors::<{ AUTH }>::from(ApiError::conflict("x.y", "undeclared"));
    }
}
