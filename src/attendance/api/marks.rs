//! `/api/v1/slots/{slot_id}/marks/{person_id}`: a trainee's mark for a half-day.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::{MarkHistoryView, MarkStatusView, MarkView};
use crate::attendance::model::{MarkInput, Timing};
use crate::attendance::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::patch::Patch;
use crate::http::png::Base64Png;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// A mark as a recorder sets it.
///
/// - `status`: What to record; a trainee checking themself in records `present` or `late`.
#[derive(Debug, Object)]
pub struct MarkBody {
    pub status: MarkStatusView,
    /// Minutes missed at the start: required for `late` (1–600), refused otherwise.
    #[oai(validator(minimum(value = "1"), maximum(value = "600")))]
    pub late_minutes: Patch<i32>,
    /// The trainee's signature: a PNG image (at most 64 KiB, 16–2000 × 16–1000 pixels, not
    /// blank), base64-encoded. Required for a self check-in; refused for `absent` and `excused`.
    pub signature_png: Patch<Base64Png>,
    /// When the trainee signed, if recorded earlier on a device (UTC); now when absent.
    pub signed_at: Patch<Timestamp>,
    /// The device the mark was recorded on, if any.
    pub device_id: Patch<Uuid>,
    /// Why the mark changes, kept in its history. Required when an administrator changes a
    /// mark after its half-day ended: that is a correction, never a signature (it carries no
    /// `signature_png`; the trainee's signature stays while they stay present or late).
    #[oai(validator(max_length = 1000))]
    pub reason: Patch<String>,
}

impl From<MarkBody> for MarkInput {
    /// The body as attendance's service takes it (the one conversion, for half-days and club
    /// meetings alike).
    fn from(b: MarkBody) -> Self {
        Self {
            status: b.status.into(),
            late_minutes: b.late_minutes.get(),
            signature_png: b.signature_png.get().map(Base64Png::into_inner),
            signed_at: b.signed_at.get().map(|t| t.0),
            device_id: b.device_id.get(),
            reason: b.reason.get(),
        }
    }
}

/// What setting a mark did.
#[derive(ApiResponse)]
pub enum MarkAnswer {
    /// The first mark of this trainee for this half-day; `Location` is its URL.
    #[oai(status = 201)]
    Created(Json<MarkView>, #[oai(header = "Location")] String),
    /// The mark was changed (the change is kept in its history).
    #[oai(status = 200)]
    Updated(Json<MarkView>),
}

ok_response!(MarkHistoryOk, MarkHistoryView, "The mark and its history.");

/// A signature image.
#[derive(ApiResponse)]
pub enum PngAnswer {
    /// The PNG image.
    #[oai(status = 200, content_type = "image/png")]
    Png(Binary<Vec<u8>>),
}

#[derive(Default)]
pub struct MarksApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl MarksApi {
    /// Set a trainee's mark for a half-day
    ///
    /// One mark per half-day and trainee (its id is the UUIDv5 of the pair); setting it again
    /// changes it and keeps the change in its history. A trainer of the session or an
    /// administrator records any confirmed trainee; a trainee checks themself in (present or
    /// late, signed) from 30 minutes before the half-day to 2 hours after it. No one records a
    /// half-day more than 30 minutes (the setting `mark_opens_before_minutes`) before it starts.
    /// An administrator's change after the half-day ended is a correction: `reason` required,
    /// no signature, recorded as `correct` in the history. The server keeps when it received
    /// the mark (`received_at`) beside the declared `signed_at`. 404
    /// `attendance.slot_not_found` (unknown half-day, or one the caller may not record),
    /// `attendance.trainee_not_found` (not a confirmed trainee of the session); 409
    /// `attendance.slot_countersigned` (frozen until an administrator reopens it),
    /// `attendance.session_closed`, `attendance.session_not_open`,
    /// `attendance.slot_not_started` (the half-day has not started),
    /// `attendance.outside_check_in_window`; 422 `attendance.signature_not_png`,
    /// `attendance.signature_too_large`, `attendance.signature_corrupt` (truncated or not
    /// decodable), `attendance.signature_dimensions`, `attendance.signature_blank`,
    /// `attendance.signature_required`, `attendance.invalid` (late minutes, a signature on an
    /// absence, a trainee's status, a future `signed_at`, a correction without
    /// `reason` or with a signature).
    #[oai(
        path = "/api/v1/slots/:slot_id/marks/:person_id",
        method = "put",
        operation_id = "set_mark"
    )]
    async fn set(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The half-day.
        slot_id: Path<Uuid>,
        /// The trainee.
        person_id: Path<Uuid>,
        body: JsonBody<MarkBody>,
    ) -> ApiResult<MarkAnswer, { AUTH | PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        let prepared = service::prepare_mark(body.0.into())?;
        let mut tx = state.begin().await?;
        let timing = Timing::of(&state.settings);
        let set =
            service::set_mark(&mut tx, &auth.0, timing, slot_id.0, person_id.0, prepared).await?;
        tx.commit().await?;
        let view = MarkView::from(set.mark);
        Ok(if set.created {
            let location = format!("/api/v1/slots/{}/marks/{}", slot_id.0, person_id.0);
            MarkAnswer::Created(Json(view), location)
        } else {
            MarkAnswer::Updated(Json(view))
        })
    }

    /// A trainee's mark for a half-day, with its history
    ///
    /// For the trainee, the session's trainers and administrators. 404
    /// `attendance.slot_not_found`, `attendance.mark_not_found`. A mark archived because its
    /// half-day was removed or moved leaves the live sheet, so it answers 404 here; `GET
    /// /api/v1/sessions/{id}/attendance/archive` gives it as it stood, and its history entries
    /// stay in this history if the half-day gets a new mark.
    #[oai(
        path = "/api/v1/slots/:slot_id/marks/:person_id",
        method = "get",
        operation_id = "get_mark"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The half-day.
        slot_id: Path<Uuid>,
        /// The trainee.
        person_id: Path<Uuid>,
    ) -> ApiResult<MarkHistoryOk, { AUTH | PARAMS | NOT_FOUND }> {
        let (mark, history) = service::get_mark(&state.db, &auth.0, slot_id.0, person_id.0).await?;
        Ok(MarkHistoryOk::Ok(Json(MarkHistoryView {
            mark: mark.into(),
            history: history.into_iter().map(Into::into).collect(),
        })))
    }

    /// A signature image of a half-day
    ///
    /// A trainee's signature (for whoever may see their mark) or the trainer's countersignature
    /// (for the session's trainers and administrators), by its SHA-256. 404
    /// `attendance.slot_not_found`, `attendance.signature_not_found`.
    #[oai(
        path = "/api/v1/slots/:slot_id/signatures/:sha256",
        method = "get",
        operation_id = "get_signature"
    )]
    async fn signature(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The half-day.
        slot_id: Path<Uuid>,
        /// SHA-256 of the image, lower-case hex.
        #[oai(validator(pattern = "^[0-9a-f]{64}$"))]
        sha256: Path<String>,
    ) -> ApiResult<PngAnswer, { AUTH | PARAMS | NOT_FOUND }> {
        let png = service::signature_png(&state.db, &auth.0, slot_id.0, &sha256.0).await?;
        Ok(PngAnswer::Png(Binary(png)))
    }
}
