//! `/api/v1/enrolments/{id}/assessment`: a trainee's assessment result.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{AssessmentResultView, AssessmentView};
use crate::documents::model::{AssessmentInput, ObjectiveInput};
use crate::documents::service::{self, DocumentsError};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::patch::Patch;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// Recording a trainee's assessment.
///
/// - `result`: the overall result: `acquired`, `partially_acquired` or `not_acquired`.
#[derive(Debug, Object)]
pub struct AssessmentBody {
    pub result: AssessmentResultView,
    /// The assessor's remarks, printed on the attestation (at most 4000 characters).
    #[oai(validator(max_length = 4000))]
    pub comment: Option<Text>,
    /// One result per objective of the training's programme, each objective exactly once
    /// (required when the programme states objectives).
    pub objectives: Patch<Vec<ObjectiveAssessmentBody>>,
}

/// The result against one objective of the programme.
///
/// - `result`: `acquired`, `partially_acquired` or `not_acquired`.
#[derive(Debug, Object)]
pub struct ObjectiveAssessmentBody {
    /// The objective's index in the programme's `objectives` (0 for the first).
    #[oai(validator(minimum(value = "0")))]
    pub objective: i32,
    pub result: AssessmentResultView,
    /// The assessor's remarks on this objective, printed on the attestation (at most 2000
    /// characters; default empty).
    #[oai(validator(max_length = 2000))]
    pub comment: Patch<Text>,
}

impl From<AssessmentBody> for AssessmentInput {
    fn from(body: AssessmentBody) -> Self {
        Self {
            result: body.result.into(),
            comment: body.comment.map(Text::into_inner).unwrap_or_default(),
            objectives: body.objectives.get().map(|list| {
                list.into_iter()
                    .map(|o| ObjectiveInput {
                        objective: o.objective.into(),
                        result: o.result.into(),
                        comment: o.comment.get().map(Text::into_inner).unwrap_or_default(),
                    })
                    .collect()
            }),
        }
    }
}

ok_response!(AssessmentOk, AssessmentView, "The assessment as recorded.");

#[derive(Default)]
pub struct AssessmentsApi;

#[OpenApi(tag = "ApiTags::Documents")]
impl AssessmentsApi {
    /// Record a trainee's assessment
    ///
    /// The result of the assessment of learning (Qualiopi ind. 11) that the attestation de fin
    /// de formation prints: an overall result and, against each objective of the training's
    /// programme, a result and a comment; recording it again replaces it. `objectives` names
    /// each objective by its index in the programme's `objectives` (0 for the first), each
    /// exactly once; it is required when the programme states objectives (every published
    /// programme does). The session's trainers and administrators. 403 `documents.forbidden`;
    /// 404 `documents.enrolment_not_found`; 409 `documents.no_seat` (cancelled or waitlisted);
    /// 422 `documents.invalid` (`fields` names `objectives` when it is absent or an objective
    /// has no result, `objectives[i].objective` when an index is repeated or past the
    /// programme's last objective).
    #[oai(
        path = "/api/v1/enrolments/:id/assessment",
        method = "put",
        operation_id = "record_assessment"
    )]
    async fn record(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
        body: JsonBody<AssessmentBody>,
    ) -> ApiResult<AssessmentOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let recorded = service::record_assessment(&mut tx, &auth.0, id.0, body.0.into()).await?;
        tx.commit().await?;
        Ok(AssessmentOk::Ok(Json(recorded.into())))
    }

    /// A trainee's assessment
    ///
    /// For whoever may see the enrolment. 404 `documents.enrolment_not_found`,
    /// `documents.assessment_not_found` (none recorded yet).
    #[oai(
        path = "/api/v1/enrolments/:id/assessment",
        method = "get",
        operation_id = "get_assessment"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<AssessmentOk, { AUTH | PARAMS | NOT_FOUND }> {
        let assessment = service::assessment(&state.db, &auth.0, id.0)
            .await?
            .ok_or(DocumentsError::AssessmentNotFound)?;
        Ok(AssessmentOk::Ok(Json(assessment.into())))
    }
}
