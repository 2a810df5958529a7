//! Assessment results (Qualiopi ind. 11): a session's trainer or an administrator records each
//! trainee's result; the attestation de fin de formation prints it when the programme planned
//! an assessment.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{DocumentsError, Result};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::documents::model::{Assessment, AssessmentResult};
use crate::documents::{policy, store};
use crate::enrolment::model::EnrolmentStatus;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// Records (or replaces) a trainee's assessment result, in the caller's transaction.
pub async fn record_assessment(
    tx: &mut WriteTx,
    principal: &Principal,
    enrolment_id: Uuid,
    result: AssessmentResult,
    comment: &str,
) -> Result<Assessment> {
    let enrolment = enrolment::get_enrolment(tx.conn(), principal, enrolment_id).await?;
    let trainers = catalogue::trainer_ids_of(tx.conn(), enrolment.session_id).await?;
    if !policy::may_assess(principal, &trainers) {
        return Err(DocumentsError::Forbidden(
            "only the session's trainers and administrators record assessments",
        ));
    }
    if !matches!(
        enrolment.status,
        EnrolmentStatus::Confirmed | EnrolmentStatus::Completed
    ) {
        return Err(DocumentsError::NoSeat);
    }
    let comment = comment.trim();
    if comment.chars().count() > 4000 {
        let mut errors = FieldErrors::new();
        errors.add("comment", "must be at most 4000 characters");
        return Err(DocumentsError::Invalid(errors));
    }
    let assessment = Assessment {
        enrolment_id,
        result,
        comment: comment.to_owned(),
        assessed_by: principal.person_id,
        assessed_at: tx.now(),
    };
    store::save_assessment(tx.conn(), &assessment).await?;
    Ok(assessment)
}

/// A trainee's assessment, for whoever may see the enrolment.
pub async fn assessment(
    db: &impl ConnectionTrait,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<Option<Assessment>> {
    enrolment::get_enrolment(db, principal, enrolment_id).await?;
    Ok(store::assessment(db, enrolment_id).await?)
}
