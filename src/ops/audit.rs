//! `GET /api/v1/audit`: the audit log of administrators' writes (`http::audit` appends it), for
//! administrators. Read-only: no operation changes an entry.

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use sea_orm::DbErr;
use uuid::Uuid;

use crate::db::audit::{self, AuditFilter, AuditRow};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::timestamp::Timestamp;
use crate::refusal::{Kind, Refusal};
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("only administrators read the audit log")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl AuditError {
    /// Every code this room's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &["audit.forbidden"];
}

impl Refusal for AuditError {
    fn code(&self) -> Option<&'static str> {
        match self {
            Self::Forbidden => Some("audit.forbidden"),
            Self::Db(_) => None,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Self::Forbidden => Kind::Forbidden,
            Self::Db(_) => Kind::Internal,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(error) => Some(error),
            Self::Forbidden => None,
        }
    }
}

fn json(text: Option<String>) -> serde_json::Value {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// One administrator's write that took effect.
#[derive(Debug, Object)]
pub struct AuditEntryView {
    /// Identifier (time-ordered).
    pub id: Uuid,
    /// When the write answered (UTC).
    pub at: Timestamp,
    /// The administrator who made it.
    pub actor_id: Uuid,
    /// The operation id of the spec, e.g. `update_session`.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The request's path.
    pub path: String,
    /// The answer's status (always 2xx: refused writes changed nothing).
    pub status: u16,
    /// The request's JSON body, passwords, tokens and images replaced by `[redacted]`; `null`
    /// without a JSON body.
    pub request: serde_json::Value,
    /// The object as it was just before: what a `GET` of it answered (the path itself, or for
    /// an action such as `…/{id}/cancel` the object it acts on); `null` when there is none
    /// (a creation) or it was erased with its person.
    pub before: serde_json::Value,
    /// The write's JSON answer: the object after; `null` when not JSON or erased with its
    /// person.
    pub after: serde_json::Value,
}

impl From<AuditRow> for AuditEntryView {
    fn from(row: AuditRow) -> Self {
        Self {
            id: row.id,
            at: row.at.into(),
            actor_id: row.actor_id,
            operation: row.operation,
            method: row.method,
            path: row.path,
            status: u16::try_from(row.status).unwrap_or_default(),
            request: json(row.request),
            before: json(row.before),
            after: json(row.after),
        }
    }
}

ok_response!(
    AuditEntriesOk,
    PageView<AuditEntryView>,
    "A page of the audit log, oldest first."
);

#[derive(Default)]
pub struct AuditApi;

#[OpenApi(tag = "ApiTags::Audit")]
impl AuditApi {
    /// List the audit log
    ///
    /// Administrators: every write an administrator made that took effect — who, which
    /// operation, when, the request, the object before and after — oldest first, filtered by
    /// administrator, operation or an id the entry names (a person, a session…). No operation
    /// changes an entry; the erasure of a person empties the bodies of the entries naming them.
    /// 403 `audit.forbidden` for anyone else.
    #[oai(
        path = "/api/v1/audit",
        method = "get",
        operation_id = "list_audit_entries"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only the writes of this administrator.
        actor_id: Query<Option<Uuid>>,
        /// Only this operation (an operation id of the spec).
        operation: Query<Option<String>>,
        /// Only the entries whose path, request or bodies name this id.
        about: Query<Option<Uuid>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<AuditEntriesOk, { AUTH | PARAMS | FORBIDDEN }> {
        if !auth.0.is_admin() {
            return Err(AuditError::Forbidden.into());
        }
        let filter = AuditFilter {
            actor_id: actor_id.0,
            operation: operation.0,
            about: about.0,
        };
        let page = page_request(limit, cursor);
        let found = audit::entries(&state.db, &filter, &page)
            .await
            .map_err(AuditError::from)?;
        Ok(AuditEntriesOk::Ok(Json(PageView::of(
            found.map(AuditEntryView::from),
        ))))
    }
}
