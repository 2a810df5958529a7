//! The middleware every request crosses: body limit, one JSON error body for every failure,
//! security headers, request log and metrics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use poem::error::{MethodNotAllowedError, NotFoundError, ReadBodyError};
use poem::http::{StatusCode, header};
use poem::middleware::ReqId;
use poem::{Endpoint, IntoResponse, Request, Response};
use poem_openapi::OperationId;
use poem_openapi::error::{
    AuthorizationError, ContentTypeError, ParsePathError, ParseRequestPayloadError,
};
use poem_openapi::payload::Json;
use tokio::io::AsyncReadExt;

use super::allow::AllowIndex;
use super::error::{ApiError, ErrorBody};
use super::headers::SecurityHeaders;
use super::metrics::Metrics;
use crate::config::Settings;

/// What [`observe`] needs besides the request.
#[derive(Clone)]
pub struct Observer {
    pub settings: Arc<Settings>,
    pub metrics: Metrics,
    pub allow: Arc<AllowIndex>,
    pub headers: Arc<SecurityHeaders>,
}

/// Wraps the whole application: reads the body within the limit, runs the request, turns any
/// error into the JSON error body, adds the security headers, logs and counts it.
pub async fn observe<E: Endpoint>(
    ep: Arc<E>,
    mut req: Request,
    observer: Observer,
) -> poem::Result<Response> {
    let Observer {
        settings,
        metrics,
        allow,
        headers,
    } = observer;
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let request_id = req
        .data::<ReqId>()
        .map(ToString::to_string)
        .unwrap_or_default();

    let origin = headers.granted_origin(&req);
    let limit = body_limit(req.method(), &path, &settings);
    let result = if let Some(preflight) = headers.preflight(&req) {
        Ok(preflight)
    } else {
        match limit_body(&mut req, limit).await {
            Ok(()) => ep.call(req).await.map(IntoResponse::into_response),
            Err(error) => Err(error),
        }
    };
    let (operation, response) = match result {
        Ok(response) => (response.data::<OperationId>().map(|op| op.0), response),
        Err(error) => (
            error.data::<OperationId>().map(|op| op.0),
            error_response(error),
        ),
    };
    let mut response = response;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && let Some(methods) = allow.allow(&path)
        && let Ok(value) = header::HeaderValue::from_str(methods)
    {
        response.headers_mut().insert(header::ALLOW, value);
    }
    headers.apply(&path, origin, &mut response);
    let operation = operation.unwrap_or_else(|| route_label(&path));
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    metrics.observe(operation, &method, status, seconds);
    tracing::info!(
        request_id = %request_id,
        method = %method,
        path = %redact_path(&path),
        operation,
        status,
        duration_ms = seconds * 1000.0,
        "request"
    );
    Ok(response)
}

/// The largest body a request may carry: the configured limit, or for a meeting's file upload
/// the largest file plus room for the multipart envelope (the service answers
/// `clubs.file_too_large` for a file over its own limit).
fn body_limit(method: &poem::http::Method, path: &str, settings: &Settings) -> usize {
    if method == poem::http::Method::POST && path.ends_with("/resources/files") {
        settings
            .max_body_bytes
            .max(settings.max_resource_bytes.saturating_add(64 * 1024))
    } else {
        settings.max_body_bytes
    }
}

/// A body over the limit is still read, up to this much, and thrown away before the 413 is
/// sent: a client that writes its whole body before reading the answer (Python's urllib) then
/// reads the 413 instead of a connection reset. Beyond it, or after [`DRAIN_FOR`], the
/// connection is closed.
const DRAIN_AT_MOST: u64 = 32 * 1024 * 1024;
const DRAIN_FOR: Duration = Duration::from_secs(10);

/// Reads the request body into memory, refusing more than `limit` bytes (413): the declared
/// `Content-Length` first, then the bytes actually received (chunked bodies). A refused body
/// is drained (see [`DRAIN_AT_MOST`]) unless the client waits for `100 Continue`.
async fn limit_body(req: &mut Request, limit: usize) -> poem::Result<()> {
    let declared = req
        .header(header::CONTENT_LENGTH)
        .and_then(|value| value.parse::<u64>().ok());
    let waits_for_continue = req
        .header(header::EXPECT)
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let refuse = || ApiError::PayloadTooLarge(Json(too_large(limit)));
    let mut reader = req.take_body().into_async_read();
    if declared.is_some_and(|len| len > limit as u64) {
        if !waits_for_continue && declared.is_some_and(|len| len <= DRAIN_AT_MOST) {
            drain(&mut reader).await;
        }
        return Err(refuse().into());
    }
    let expected = declared.map_or(0, |len| usize::try_from(len).unwrap_or(limit));
    let mut bytes = Vec::with_capacity(expected.min(limit));
    (&mut reader)
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(|e| poem::Error::from(ReadBodyError::Io(e)))?;
    if bytes.len() > limit {
        if !waits_for_continue {
            drain(&mut reader).await;
        }
        return Err(refuse().into());
    }
    req.set_body(bytes);
    Ok(())
}

/// Reads and throws away what is left of a refused body, within bounds.
async fn drain(reader: &mut (impl tokio::io::AsyncRead + Unpin)) {
    let mut rest = reader.take(DRAIN_AT_MOST);
    let _ = tokio::time::timeout(
        DRAIN_FOR,
        tokio::io::copy(&mut rest, &mut tokio::io::sink()),
    )
    .await;
}

fn too_large(limit: usize) -> ErrorBody {
    ErrorBody::new(
        "request.too_large",
        format!("The request body exceeds {limit} bytes."),
    )
}

/// Turns any error into the API's JSON error body. Errors that are already our responses pass
/// through unchanged.
pub fn error_response(error: poem::Error) -> Response {
    if error.is_from_response() {
        return error.into_response();
    }
    let message = error.to_string();
    let api_error = if error.is::<ParseRequestPayloadError>() {
        match schema_violation(&message) {
            Some(fields) => ApiError::unprocessable(
                "request.invalid",
                "A field breaks a limit stated in the spec.",
                fields,
            ),
            None => ApiError::bad_request("request.malformed", message),
        }
    } else if error.is::<ContentTypeError>() {
        ApiError::UnsupportedMediaType(Json(ErrorBody::new(
            "request.unsupported_media_type",
            format!("{message}; send application/json"),
        )))
    } else if error.is::<ParsePathError>() || error.is::<poem_openapi::error::ParseParamError>() {
        ApiError::bad_request("request.invalid_parameter", message)
    } else if error.is::<AuthorizationError>() {
        ApiError::unauthorized("auth.unauthenticated", "A valid bearer token is required.")
    } else if error.is::<NotFoundError>() {
        ApiError::not_found("route.not_found", "No such path.")
    } else if error.is::<MethodNotAllowedError>() {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "route.method_not_allowed",
            "Method not allowed on this path.",
        );
    } else if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(Json(ErrorBody::new("request.too_large", message)))
    } else if error.status().is_server_error() {
        ApiError::internal(&format!("{error:?}"))
    } else {
        let status = error.status();
        return plain(status, "request.invalid", &message);
    };
    api_error.into_response()
}

/// A body that parsed but breaks a limit the spec states (`minLength`, `maximum`, …) is a
/// validation error (422) naming the field, like the services' own; poem-openapi reports it as
/// "field `a` … field `b` verification failed. minLength(1)", which becomes `{"a.b": ["minLength(1)"]}`.
fn schema_violation(message: &str) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
    let (path_part, rule) = message.split_once("verification failed.")?;
    let path: Vec<&str> = path_part
        .split("field `")
        .skip(1)
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let field = if path.is_empty() {
        "body".to_owned()
    } else {
        path.join(".")
    };
    let rule = rule.trim().to_owned();
    Some(std::collections::BTreeMap::from([(field, vec![rule])]))
}

/// An error body with a status that the `ApiError` enum does not list (405, 411…).
fn plain(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "code": code, "message": message });
    Response::builder()
        .status(status)
        .content_type("application/json; charset=utf-8")
        .body(body.to_string())
}

/// A bounded metric label for requests that matched no operation.
fn route_label(path: &str) -> &'static str {
    match path {
        "/metrics" => "metrics",
        "/openapi.json" => "openapi",
        p if p.starts_with("/docs") => "docs",
        _ => "unmatched",
    }
}

/// Paths that carry a secret (personal calendar feeds, report receipt codes) are logged
/// without it.
fn redact_path(path: &str) -> String {
    if path.starts_with("/calendar/personal/") {
        "/calendar/personal/[redacted]".to_owned()
    } else if path.starts_with("/api/v1/reports/receipts/") {
        "/api/v1/reports/receipts/[redacted]".to_owned()
    } else {
        path.chars().take(512).collect()
    }
}
