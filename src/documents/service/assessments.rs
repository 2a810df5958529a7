//! Assessment results (Qualiopi ind. 11): a session's trainer or an administrator records each
//! trainee's result, overall and against each objective of the programme; the attestation de
//! fin de formation prints them when the programme planned an assessment.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{DocumentsError, Result};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::documents::model::{Assessment, AssessmentInput, ObjectiveInput, ObjectiveResult};
use crate::documents::{policy, store};
use crate::enrolment::model::EnrolmentStatus;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// Records (or replaces) a trainee's assessment, in the caller's transaction. When the
/// programme states objectives, `objectives` must name each of them exactly once (422
/// `documents.invalid` naming the missing, repeated or unknown index).
pub async fn record_assessment(
    tx: &mut WriteTx,
    principal: &Principal,
    enrolment_id: Uuid,
    input: AssessmentInput,
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
    let session = catalogue::session_details(tx.conn(), enrolment.session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    let mut errors = FieldErrors::new();
    let comment = input.comment.trim();
    if comment.chars().count() > 4000 {
        errors.add("comment", "must be at most 4000 characters");
    }
    let objectives = objective_results(
        &mut errors,
        &session.training.programme.objectives,
        input.objectives,
    );
    errors.into_result().map_err(DocumentsError::Invalid)?;
    let assessment = Assessment {
        enrolment_id,
        result: input.result,
        comment: comment.to_owned(),
        objectives,
        assessed_by: principal.person_id,
        assessed_at: tx.now(),
    };
    store::save_assessment(tx.conn(), &assessment).await?;
    Ok(assessment)
}

/// Checks the per-objective results against the programme's objectives — each exactly once —
/// and returns them in the programme's order, each with the objective's wording.
fn objective_results(
    errors: &mut FieldErrors,
    programme: &[String],
    sent: Option<Vec<ObjectiveInput>>,
) -> Vec<ObjectiveResult> {
    let Some(sent) = sent else {
        if !programme.is_empty() {
            errors.add(
                "objectives",
                format!(
                    "required: the programme states {} objectives (indexes 0 to {}), each needs a result",
                    programme.len(),
                    programme.len() - 1
                ),
            );
        }
        return Vec::new();
    };
    let mut results: Vec<Option<ObjectiveResult>> = vec![None; programme.len()];
    for (position, entry) in sent.into_iter().enumerate() {
        let field = format!("objectives[{position}]");
        let comment = entry.comment.trim();
        if comment.chars().count() > 2000 {
            errors.add(
                &format!("{field}.comment"),
                "must be at most 2000 characters",
            );
        }
        let index = usize::try_from(entry.objective)
            .ok()
            .filter(|i| *i < programme.len());
        let Some(index) = index else {
            errors.add(
                &format!("{field}.objective"),
                format!(
                    "objective {} is not in the programme, which states {} objectives (indexes from 0)",
                    entry.objective,
                    programme.len()
                ),
            );
            continue;
        };
        if results[index].is_some() {
            errors.add(
                &format!("{field}.objective"),
                format!("objective {index} appears more than once"),
            );
            continue;
        }
        results[index] = Some(ObjectiveResult {
            objective: index,
            wording: programme[index].clone(),
            result: entry.result,
            comment: comment.to_owned(),
        });
    }
    let missing: Vec<String> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_none())
        .map(|(i, _)| i.to_string())
        .collect();
    if !missing.is_empty() {
        errors.add(
            "objectives",
            format!("missing a result for objective {}", missing.join(", ")),
        );
    }
    results.into_iter().flatten().collect()
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
