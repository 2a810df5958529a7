//! `/api/v1/sessions/{id}/absences`: absence alerts and their follow-up (Qualiopi ind. 12).

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use uuid::Uuid;

use crate::attendance::model::{self, Absence, FollowUp};
use crate::attendance::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::nullable::Nullable;
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// One entry of the follow-up log.
///
/// - `drop_out_cause`: Why the trainee left the training, when this entry records a drop-out
///   (absent otherwise).
#[derive(Debug, Object)]
pub struct FollowUpView {
    /// The trainee followed up.
    pub person_id: Uuid,
    /// Who logged it.
    pub by: Uuid,
    /// When (UTC).
    pub at: Timestamp,
    /// What was done (a call, an e-mail, what the trainee said).
    pub note: String,
    #[oai(skip_serializing_if_is_none)]
    pub drop_out_cause: Option<DropOutCauseView>,
    /// The drop-out's note.
    pub drop_out_reason: Nullable<String>,
}

/// Why a trainee left a training (the result indicators count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "DropOutCause",
    rename_all = "snake_case",
    remote = "model::DropOutCause"
)]
pub enum DropOutCauseView {
    /// Personal reasons.
    Personal,
    /// Professional reasons (the job, the organisation).
    Professional,
    /// Health.
    Health,
    /// The content did not suit them.
    ContentUnsuited,
    /// Another cause, said in `drop_out_reason`.
    Other,
}

impl From<FollowUp> for FollowUpView {
    fn from(f: FollowUp) -> Self {
        Self {
            person_id: f.person_id,
            by: f.by,
            at: f.at.into(),
            note: f.note,
            drop_out_cause: f.drop_out_cause.map(Into::into),
            drop_out_reason: Nullable(f.drop_out_reason),
        }
    }
}

/// A trainee absent from at least one half-day, with the follow-up so far.
///
/// - `drop_out_cause`: Why they left, if they did (absent otherwise).
#[derive(Debug, Object)]
pub struct AbsenceView {
    /// The trainee.
    pub person_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Half-days marked absent, in time order.
    pub absent_slot_ids: Vec<Uuid>,
    /// Half-days marked excused.
    pub excused_slot_ids: Vec<Uuid>,
    /// The follow-up log, oldest first.
    pub follow_ups: Vec<FollowUpView>,
    /// Whether a follow-up recorded that the trainee left the training.
    pub dropped_out: bool,
    #[oai(skip_serializing_if_is_none)]
    pub drop_out_cause: Option<DropOutCauseView>,
    /// The drop-out's note, if it had one.
    pub drop_out_reason: Nullable<String>,
}

impl From<Absence> for AbsenceView {
    fn from(a: Absence) -> Self {
        let cause = a.drop_out().and_then(|f| f.drop_out_cause);
        let reason = a.drop_out().and_then(|f| f.drop_out_reason.clone());
        Self {
            person_id: a.person_id,
            first_name: a.first_name,
            last_name: a.last_name,
            absent_slot_ids: a.absent_slots,
            excused_slot_ids: a.excused_slots,
            follow_ups: a.follow_ups.into_iter().map(Into::into).collect(),
            dropped_out: cause.is_some(),
            drop_out_cause: cause.map(Into::into),
            drop_out_reason: Nullable(reason),
        }
    }
}

/// A follow-up to log.
///
/// - `drop_out_cause`: Why the trainee leaves the training, if they do: the cause, from the
///   closed list (required to record a drop-out).
#[derive(Debug, Object)]
pub struct FollowUpBody {
    /// What was done (a call, an e-mail, what the trainee said).
    #[oai(validator(min_length = 1, max_length = 4000))]
    pub note: Text,
    pub drop_out_cause: Patch<DropOutCauseView>,
    /// The drop-out's note (required for `other`).
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub drop_out_reason: Patch<Text>,
}

ok_response!(
    AbsencesOk,
    Vec<AbsenceView>,
    "The absent trainees and their follow-up."
);
created_response!(FollowUpCreated, FollowUpView, "The follow-up, logged.");

#[derive(Default)]
pub struct AbsencesApi;

#[OpenApi(tag = "ApiTags::Attendance")]
impl AbsencesApi {
    /// A session's absence alerts
    ///
    /// Every trainee marked absent from a half-day (Qualiopi ind. 12), with the follow-up log
    /// and the drop-out reason if they left. For the session's trainers and administrators. 404
    /// `attendance.session_not_found`.
    #[oai(
        path = "/api/v1/sessions/:id/absences",
        method = "get",
        operation_id = "list_absences"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<AbsencesOk, { AUTH | PARAMS | NOT_FOUND }> {
        let absences = service::absences(&state.db, &auth.0, id.0).await?;
        Ok(AbsencesOk::Ok(Json(
            absences.into_iter().map(Into::into).collect(),
        )))
    }

    /// Log the follow-up of a trainee's absence
    ///
    /// What was done, and the drop-out reason if the trainee leaves. For the session's trainers
    /// and administrators. 404 `attendance.session_not_found`, `attendance.trainee_not_found`;
    /// 422 `attendance.invalid` (a blank note or reason).
    #[oai(
        path = "/api/v1/sessions/:id/absences/:person_id/follow-ups",
        method = "post",
        operation_id = "follow_up_absence"
    )]
    async fn follow_up(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        /// The trainee.
        person_id: Path<Uuid>,
        body: JsonBody<FollowUpBody>,
    ) -> ApiResult<FollowUpCreated, { AUTH | PARAMS | BODY | NOT_FOUND }> {
        let b = body.0;
        let cause = b.drop_out_cause.get().map(Into::into);
        let drop_out = b.drop_out_reason.get().map(Text::into_inner);
        let mut tx = state.begin().await?;
        let logged = service::follow_up(
            &mut tx,
            &auth.0,
            id.0,
            person_id.0,
            b.note.as_ref(),
            cause,
            drop_out.as_deref(),
        )
        .await?;
        tx.commit().await?;
        let location = format!("/api/v1/sessions/{}/absences", id.0);
        Ok(FollowUpCreated::Created(Json(logged.into()), location))
    }
}
