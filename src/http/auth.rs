//! The bearer security scheme: turns `Authorization: Bearer <token>` into a [`Principal`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use super::error::ApiError;
use crate::principal::Principal;

/// What [`Authenticator::authenticate`] returns.
pub type AuthFuture<'a> = Pin<Box<dyn Future<Output = Result<Principal, ApiError>> + Send + 'a>>;

/// Turns a bearer token into the [`Principal`] it stands for. The accounts context provides
/// it and `lib.rs` puts it in every request's data, so http knows no context.
pub trait Authenticator: Send + Sync + 'static {
    /// The principal of `token`, or the 401 (or 503) to answer.
    fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a>;
}

/// The authenticator as request data.
pub type SharedAuthenticator = Arc<dyn Authenticator>;

/// Opaque bearer token obtained from `POST /api/v1/auth/login`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_bearer")]
pub struct BearerAuth(pub Principal);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    // Resolved already by the audit layer (a write's token): not looked up twice.
    if let Some(known) = req.data::<super::audit::KnownCaller>() {
        return Ok(known.0.clone());
    }
    let authenticator = req
        .data::<SharedAuthenticator>()
        .ok_or_else(|| ApiError::internal("no authenticator in the request's data"))?;
    Ok(authenticator.authenticate(&bearer.token).await?)
}

/// The caller of a public operation that also accepts a bearer token: `None` without an
/// `Authorization` header, the principal with a valid one, 401 with any other.
pub async fn optional_caller(req: &poem::Request) -> Result<Option<Principal>, ApiError> {
    let Some(header) = req.headers().get(poem::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::unauthorized("auth.invalid_token", "Invalid bearer token."))?;
    let authenticator = req
        .data::<SharedAuthenticator>()
        .ok_or_else(|| ApiError::internal("no authenticator in the request's data"))?;
    authenticator.authenticate(token).await.map(Some)
}

/// Marks an operation as public: its spec states `security: [{}]` (no credentials required), so
/// linters and generated clients know it is open on purpose rather than forgotten. Extracts
/// nothing.
pub struct Public;

impl<'a> poem_openapi::ApiExtractor<'a> for Public {
    const TYPES: &'static [poem_openapi::ApiExtractorType] =
        &[poem_openapi::ApiExtractorType::SecurityScheme];

    type ParamType = ();
    type ParamRawType = ();

    fn has_security_fallback() -> bool {
        true
    }

    async fn from_request(
        _request: &'a Request,
        _body: &mut poem::RequestBody,
        _param_opts: poem_openapi::ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        Ok(Public)
    }
}

/// The client's IP without its port (each new connection has a new port): the key of the
/// per-address limiters (failed logins, unknown certificate codes).
pub fn client_address(req: &poem::Request) -> String {
    req.remote_addr().as_socket_addr().map_or_else(
        || req.remote_addr().to_string(),
        |addr| addr.ip().to_string(),
    )
}
