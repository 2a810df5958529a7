//! The audit log of administrators' writes (ASVS 7.1, 7.2): for every request that writes
//! (`POST`, `PUT`, `PATCH`, `DELETE`) by an administrator and takes effect (2xx), one entry —
//! who, which operation, when, the request (secrets redacted), the object as a `GET` of it
//! answered just before, and the write's answer after. Appended outside the write's
//! transaction, once it answered; the API has no way to change an entry.
//!
//! The caller is known here before the operation runs (the token resolved once: the bearer
//! scheme's checker then reuses it, [`KnownCaller`]), so only an administrator's write costs
//! the extra `GET`.

use std::sync::Arc;

use poem::http::{Method, header};
use poem::{Body, Endpoint, IntoResponse, Request, Response};
use poem_openapi::OperationId;
use uuid::Uuid;

use super::auth::SharedAuthenticator;
use crate::clock::Clock;
use crate::db::audit::{AuditBatch, NewAuditEntry};
use crate::db::group::GroupCommit;
use crate::db::write::Writer;
use crate::principal::Principal;

/// The caller a write's token stands for, resolved by [`audit`] before the operation runs.
#[derive(Clone, Debug)]
pub struct KnownCaller(pub Principal);

/// Set by an operation whose bodies are personal data it is removing (a person's erasure): its
/// entry keeps who, what and when, not the bodies.
#[derive(Clone, Debug, Default)]
struct BodiesForgotten(Arc<std::sync::atomic::AtomicBool>);

/// Called by an operation's handler: its audit entry, if any, keeps no request, before or
/// after body.
pub fn forget_bodies(req: &Request) {
    if let Some(flag) = req.data::<BodiesForgotten>() {
        flag.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Where [`audit`] writes: entries committed in groups ([`crate::db::audit::AuditBatch`]),
/// through the server's writer.
#[derive(Clone)]
pub struct AuditLog {
    group: Arc<GroupCommit<AuditBatch>>,
    clock: Clock,
}

impl AuditLog {
    pub fn new(writer: Writer, clock: Clock) -> Self {
        Self {
            group: Arc::new(GroupCommit::new(AuditBatch, writer, 1, 256)),
            clock,
        }
    }
}

/// A request or response body larger than this is not kept (the entry says so).
const KEPT_BYTES: usize = 64 * 1024;

fn writes(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// The object a write changes, read before it: the path itself for `PUT`, `PATCH` and
/// `DELETE`; for a `POST` action on an object (`…/{id}/cancel`), that object.
fn object_path(method: &Method, path: &str) -> Option<String> {
    if *method != Method::POST {
        return Some(path.to_owned());
    }
    let (parent, _) = path.trim_end_matches('/').rsplit_once('/')?;
    let last = parent.rsplit('/').next()?;
    last.parse::<Uuid>().is_ok().then(|| parent.to_owned())
}

/// JSON text as kept: secrets replaced by `[redacted]`, too large a body replaced by a note.
fn kept(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() {
        return None;
    }
    if bytes.len() > KEPT_BYTES {
        return Some(format!("{{\"not_kept\":\"{} bytes\"}}", bytes.len()));
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    redact(&mut value);
    Some(value.to_string())
}

fn redact(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                let key = key.to_ascii_lowercase();
                if ["password", "token", "secret", "png"]
                    .iter()
                    .any(|s| key.contains(s))
                {
                    *inner = serde_json::Value::String("[redacted]".into());
                } else {
                    redact(inner);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

fn is_json(response: &Response) -> bool {
    response
        .content_type()
        .is_some_and(|t| t.starts_with("application/json"))
}

/// The object at `path` as the caller reads it now, if a `GET` of it answers JSON.
async fn read_before<E: Endpoint>(ep: &E, req: &Request, path: &str) -> Option<String> {
    let mut get = Request::builder()
        .method(Method::GET)
        .uri_str(path)
        .finish();
    *get.extensions_mut() = req.extensions().clone();
    if let Some(auth) = req.headers().get(header::AUTHORIZATION) {
        get.headers_mut()
            .insert(header::AUTHORIZATION, auth.clone());
    }
    let response = ep.call(get).await.ok()?.into_response();
    if !response.status().is_success() || !is_json(&response) {
        return None;
    }
    kept(&response.into_body().into_bytes().await.ok()?)
}

/// Records an administrator's write that took effect; see the module's documentation.
pub async fn audit<E: Endpoint>(
    ep: Arc<E>,
    mut req: Request,
    log: AuditLog,
) -> poem::Result<Response> {
    let caller = match (
        writes(req.method()),
        bearer(&req),
        req.data::<SharedAuthenticator>(),
    ) {
        (true, Some(token), Some(authenticator)) => authenticator.authenticate(&token).await.ok(),
        _ => None,
    };
    if let Some(caller) = &caller {
        req.set_data(KnownCaller(caller.clone()));
    }
    let Some(admin) = caller.filter(Principal::is_admin) else {
        return ep.call(req).await.map(IntoResponse::into_response);
    };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let before = match object_path(&method, &path) {
        Some(object) => read_before(ep.as_ref(), &req, &object).await,
        None => None,
    };
    let body = req.take_body().into_bytes().await?;
    let request = kept(&body);
    req.set_body(body);
    let forgotten = BodiesForgotten::default();
    req.set_data(forgotten.clone());
    let response = ep.call(req).await?.into_response();
    if !response.status().is_success() {
        return Ok(response);
    }
    let status = response.status().as_u16();
    let operation = response
        .data::<OperationId>()
        .map_or_else(|| path.clone(), |op| op.0.to_owned());
    let (response, after) = if is_json(&response) {
        let (parts, body) = response.into_parts();
        let bytes = body.into_bytes().await?;
        let after = kept(&bytes);
        (Response::from_parts(parts, Body::from(bytes)), after)
    } else {
        (response, None)
    };
    let forget = forgotten.0.load(std::sync::atomic::Ordering::SeqCst);
    let (request, before, after) = if forget {
        (None, None, None)
    } else {
        (request, before, after)
    };
    let entry = NewAuditEntry {
        at: log.clock.now(),
        actor_id: admin.person_id,
        operation,
        method: method.to_string(),
        path,
        status,
        request,
        before,
        after,
    };
    if let Err(error) = log.group.submit(entry).await {
        tracing::error!(error = %error, "the audit entry of an administrator's write was not recorded");
    }
    Ok(response)
}
