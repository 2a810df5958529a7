//! `/sync/v1`: the protocol the mobile app speaks (see `docs/sync-protocol.md`).

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiRequest, ApiResponse, OpenApi};

use super::{
    BlobView, ChangeView, ChecksumView, MutationResultView, OpView, PullBody, PullView, PushBody,
    PushView, StoppedView,
};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::errors_of::Codes;
use crate::http::json::JsonBody;
use crate::http::nullable::Nullable;
use crate::http::tags::ApiTags;
use crate::state::AppState;
use crate::sync::model::{PROTOCOL, Pushed};
use crate::sync::service::{self, PullRequest, PushRequest};

/// Never cached: every pull and push answer is for one device, now.
const NO_STORE: &str = "no-store";

/// A page of changes.
#[derive(ApiResponse)]
pub enum PullAnswer {
    /// The page (or a `reset`). Never cached.
    #[oai(status = 200)]
    Ok(Json<PullView>, #[oai(header = "Cache-Control")] String),
}

/// What a push did.
#[derive(ApiResponse)]
pub enum PushAnswer {
    /// The results, one per mutation processed. Never cached.
    #[oai(status = 200)]
    Ok(Json<PushView>, #[oai(header = "Cache-Control")] String),
}

/// A blob upload's outcome.
#[derive(ApiResponse)]
pub enum BlobAnswer {
    /// The image is stored.
    #[oai(status = 201)]
    Created(Json<BlobView>),
    /// The same image was already stored (uploads are idempotent).
    #[oai(status = 200)]
    Ok(Json<BlobView>),
}

/// A signature image.
#[derive(ApiRequest)]
pub enum BlobBody {
    /// The PNG bytes.
    #[oai(content_type = "image/png")]
    Png(Binary<Vec<u8>>),
}

/// 403 and 404 of pull and push: the device's, not a role's or an object's.
const DEVICE_REVOKED: &str = "The device was revoked (`sync.device_revoked`, with the device's \
    `last_seq`): wipe the synced base, keep the outbox; what it pushes is kept for an \
    administrator.";
const DEVICE_NOT_FOUND: &str = "No such device, or not the caller's own (`sync.device_not_found`).";

/// The codes a pull answers with its statuses.
pub struct PullCodes;

impl Codes for PullCodes {
    fn describe(status: u16) -> Option<&'static str> {
        match status {
            403 => Some(DEVICE_REVOKED),
            404 => Some(DEVICE_NOT_FOUND),
            422 => Some(
                "The request breaks a rule: a field outside a limit the schema states \
                 (`request.invalid`, `fields` names it), or a protocol newer than this \
                 server's (`sync.protocol_unknown`).",
            ),
            _ => None,
        }
    }
}

/// The codes a push answers with its statuses.
pub struct PushCodes;

impl Codes for PushCodes {
    fn describe(status: u16) -> Option<&'static str> {
        match status {
            403 => Some(DEVICE_REVOKED),
            404 => Some(DEVICE_NOT_FOUND),
            422 => Some(
                "The request breaks a rule: a field outside a limit the schema states \
                 (`request.invalid`), more than 500 mutations (`sync.invalid`; `fields` names \
                 them), or a protocol newer than this server's (`sync.protocol_unknown`).",
            ),
            503 => Some(
                "The database failed while applying the batch and rolled it back \
                 (`sync.unavailable`: nothing after `last_seq`, in the body, was applied; push \
                 again from the next one), or it is busy or unavailable (`service.busy`).",
            ),
            _ => None,
        }
    }
}

#[derive(Default)]
pub struct SyncProtocolApi;

/// Writes the caller's survey invitations that opened since they were last read (a survey
/// opens from the clock, with no write of its own), so that this pull carries them. Reads first:
/// a write transaction only when one is due.
async fn open_due_surveys(
    state: &AppState,
    principal: &crate::principal::Principal,
) -> Result<(), crate::quality::service::QualityError> {
    use crate::quality::service as quality;
    let rules = crate::quality::model::surveys::SurveyRules::of(&state.settings);
    let now = state.clock.now();
    if quality::unopened_for_person(&state.db, &rules, principal.person_id, now)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let mut tx = state.begin().await?;
    quality::open_due(&mut tx, &rules, principal.person_id).await?;
    tx.commit().await?;
    Ok(())
}

#[OpenApi(tag = "ApiTags::Sync")]
impl SyncProtocolApi {
    /// Pull changes
    ///
    /// The changes the device has not seen, for the scopes its person may see now, in pages
    /// keyed on `(version, type, id)`. Apply each page and store its cursor in one local
    /// transaction; pull again while `has_more`. Push before pulling. 403
    /// `sync.device_revoked` (wipe synced data, keep the outbox); 404 `sync.device_not_found`
    /// (not this person's device); 422 `sync.protocol_unknown`; 426 `sync.protocol_too_old`.
    #[oai(path = "/sync/v1/pull", method = "post", operation_id = "sync_pull")]
    async fn pull(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<PullBody>,
    ) -> ApiResult<PullAnswer, { AUTH | BODY | FORBIDDEN | NOT_FOUND | UPGRADE }, PullCodes> {
        let b = body.0;
        service::check_protocol(b.protocol)?;
        let request = PullRequest {
            device_id: b.device_id,
            schema_version: b.schema_version,
            cursor: b.cursor.0.map(crate::http::text::Text::into_inner),
            limit: b.limit,
            verify: b.verify.unwrap_or(false),
        };
        open_due_surveys(&state, &auth.0).await?;
        let page = service::pull(&state.db, &auth.0, request).await?;
        let view = PullView {
            protocol: PROTOCOL,
            reset: page.reset.map(Into::into),
            changes: page
                .changes
                .into_iter()
                .map(|c| ChangeView {
                    op: if c.data.is_some() {
                        OpView::Upsert
                    } else {
                        OpView::Delete
                    },
                    entity_type: c.entity_type,
                    id: c.id,
                    version: c.version,
                    data: c
                        .data
                        .map_or(serde_json::Value::Null, serde_json::Value::Object),
                })
                .collect(),
            scopes: page.scopes,
            scope_removed: page.scope_removed,
            cursor: Nullable(page.cursor),
            has_more: page.has_more,
            checksum: page.checksum.map(|c| ChecksumView {
                count: c.count,
                sum: format!("{:016x}", c.sum),
            }),
            last_seq: page.last_seq,
            server_time: state.clock.now().timestamp_millis(),
        };
        Ok(PullAnswer::Ok(Json(view), NO_STORE.into()))
    }

    /// Push mutations
    ///
    /// The device's queued mutations, applied in order in one transaction, each in its own
    /// savepoint: `applied`, `conflict` (the rule decided; the loser is kept and comes in
    /// pulls) or `rejected` (with a reason; the queue moves on). A retried mutation answers its
    /// stored result with `replayed: true`. A rejection's `error` is the code the same refusal
    /// answers online (for instance `attendance.slot_countersigned`, or
    /// `sync.conflict_not_found` for a `conflict.resolve@1` of an unknown conflict). Stops early on a sequence gap or a signature image
    /// not uploaded yet (`attendance.signature_missing` as a retryable `blob_missing`). 403
    /// `sync.device_revoked` (the mutations are quarantined for an administrator; `last_seq`
    /// in the body); 404 `sync.device_not_found`; 422 `sync.invalid` (more than 500
    /// mutations), `sync.protocol_unknown`; 426 `sync.protocol_too_old`; 503
    /// `sync.unavailable` (nothing after `last_seq`, given in the body, was applied: push
    /// again from the next one).
    #[oai(path = "/sync/v1/push", method = "post", operation_id = "sync_push")]
    async fn push(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<PushBody>,
    ) -> ApiResult<PushAnswer, { AUTH | BODY | FORBIDDEN | NOT_FOUND | UPGRADE }, PushCodes> {
        let b = body.0;
        service::check_protocol(b.protocol)?;
        let request = PushRequest {
            device_id: b.device_id,
            device_time: b.device_time.get(),
            mutations: b
                .mutations
                .into_iter()
                .map(|m| Pushed {
                    seq: m.seq,
                    id: m.id,
                    name: m.name.into_inner(),
                    hlc: m.hlc,
                    base_version: m.base_version.0,
                    prev_local_seq: m.prev_local_seq.0,
                    args: m.args,
                })
                .collect(),
        };
        // The push's one transaction: begun and committed here; a database failure at either
        // end answers 503 `sync.unavailable` with the committed `last_seq`, as inside.
        let plan = service::plan_push(&state.db, &auth.0, request).await?;
        let mut tx = state.begin().await.map_err(|e| plan.unavailable(e))?;
        let pushing = service::push(&mut tx, &state.settings, &auth.0, plan).await?;
        tx.commit().await.map_err(|e| pushing.commit_failed(e))?;
        let outcome = pushing.answer()?;
        let view = PushView {
            protocol: PROTOCOL,
            last_seq: outcome.last_seq,
            results: outcome
                .results
                .into_iter()
                .map(MutationResultView::from)
                .collect(),
            stopped: outcome.stopped.map(StoppedView::of),
            server_time: state.clock.now().timestamp_millis(),
        };
        Ok(PushAnswer::Ok(Json(view), NO_STORE.into()))
    }

    /// Upload a signature image
    ///
    /// Before pushing the marks or countersignatures that name it by its SHA-256: a PNG of at
    /// most 64 KiB, 16–2000 × 16–1000 pixels, not blank. Content-addressed and idempotent. 413
    /// `sync.blob_too_large`; 422 `sync.blob_hash_mismatch` (the bytes' SHA-256 is not the
    /// path's), `sync.blob_invalid` (not a PNG, corrupt, wrong size, blank).
    #[oai(
        path = "/sync/v1/blobs/:sha256",
        method = "put",
        operation_id = "sync_put_blob"
    )]
    async fn put_blob(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// SHA-256 of the image, lower-case hex.
        #[oai(validator(pattern = "^[0-9a-f]{64}$"))]
        sha256: Path<String>,
        body: BlobBody,
    ) -> ApiResult<BlobAnswer, { AUTH | PARAMS | BODY }> {
        let BlobBody::Png(Binary(bytes)) = body;
        let size = bytes.len() as u64;
        let created = service::put_blob(&state.db, &state.clock, &auth.0, &sha256.0, bytes).await?;
        let view = BlobView {
            sha256: sha256.0,
            bytes: size,
        };
        Ok(if created {
            BlobAnswer::Created(Json(view))
        } else {
            BlobAnswer::Ok(Json(view))
        })
    }
}
