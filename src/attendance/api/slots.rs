//! `/api/v1/slots/{slot_id}/countersign` and `/reopen`: the trainer's countersignature.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::SignoffView;
use crate::attendance::service;
use crate::attendance::signature::SignatureSource;
use crate::http::auth::BearerAuth;
use crate::http::cancel::CancelRequest;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::png::Base64Png;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// The trainer's signature for a half-day.
#[derive(Debug, Object)]
pub struct CountersignBody {
    /// The trainer's signature: a PNG image (at most 64 KiB, 16–2000 × 16–1000 pixels, not
    /// blank), base64-encoded.
    pub signature_png: Base64Png,
}

ok_response!(SignoffOk, SignoffView, "The half-day's countersignature.");

#[derive(Default)]
pub struct SlotsApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl SlotsApi {
    /// Countersign a half-day
    ///
    /// By a trainer of the session, once the half-day has started: its marks are frozen until
    /// an administrator reopens it. 403 `attendance.forbidden` for an administrator (the
    /// signature is the trainer's own); 404 `attendance.slot_not_found` (or not a trainer of the
    /// session); 409 `attendance.slot_countersigned`, `attendance.slot_not_started`,
    /// `attendance.session_closed`, `attendance.session_not_open`; 422 as for a mark's
    /// signature.
    #[oai(
        path = "/api/v1/slots/:slot_id/countersign",
        method = "post",
        operation_id = "countersign_slot"
    )]
    async fn countersign(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The half-day.
        slot_id: Path<Uuid>,
        body: JsonBody<CountersignBody>,
    ) -> ApiResult<SignoffOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let signature = service::prepare_countersignature(body.0.signature_png.into_inner())?;
        let mut tx = state.begin().await?;
        let signature = SignatureSource::Checked(signature);
        let signoff = service::countersign(&mut tx, &auth.0, slot_id.0, signature, None).await?;
        tx.commit().await?;
        Ok(SignoffOk::Ok(Json(signoff.into())))
    }

    /// Reopen a countersigned half-day
    ///
    /// Administrators, with a reason kept in the history: the marks may change again until a
    /// trainer countersigns anew. 403 `attendance.forbidden`; 404 `attendance.slot_not_found`;
    /// 409 `attendance.slot_not_countersigned`, `attendance.session_closed`,
    /// `attendance.session_not_open`; 422 `attendance.invalid` (an empty reason).
    #[oai(
        path = "/api/v1/slots/:slot_id/reopen",
        method = "post",
        operation_id = "reopen_slot"
    )]
    async fn reopen(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The half-day.
        slot_id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<SignoffOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let reason = Text::into_inner(body.0.reason);
        let mut tx = state.begin().await?;
        let signoff = service::reopen_slot(&mut tx, &auth.0, slot_id.0, &reason).await?;
        tx.commit().await?;
        Ok(SignoffOk::Ok(Json(signoff.into())))
    }
}
