//! Positioning (Qualiopi ind. 8): an administrator defines a questionnaire on a training
//! (single choice, multiple choice, scale, free text); the trainee answers it before the session
//! starts; the trainee, the session's trainers and administrators see the answers, and every
//! roster shows when it was completed (`positioning_answered_at` on the synced enrolment).

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{EnrolmentError, Result};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::enrolment::model::{Answer, Positioning, Question, QuestionKind, Questionnaire};
use crate::enrolment::store;
use crate::principal::{Principal, Role};
use crate::validation::FieldErrors;

pub const MAX_QUESTIONS: usize = 50;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_TEXT_CHARS: usize = 4000;

fn check_questions(questions: &[Question]) -> Result<()> {
    let mut errors = FieldErrors::default();
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        errors.add("questions", format!("1 to {MAX_QUESTIONS} questions"));
    }
    let mut keys = BTreeSet::new();
    for (i, q) in questions.iter().enumerate() {
        let field = |name: &str| format!("questions[{i}].{name}");
        if !keys.insert(q.key.as_str()) {
            errors.add(&field("key"), "two questions have this key");
        }
        let choice = matches!(
            q.kind,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        );
        let distinct: BTreeSet<&str> = q.options.iter().map(String::as_str).collect();
        if choice && (q.options.len() < 2 || q.options.len() > MAX_OPTIONS) {
            errors.add(&field("options"), format!("2 to {MAX_OPTIONS} options"));
        } else if choice && distinct.len() != q.options.len() {
            errors.add(&field("options"), "options must differ");
        } else if !choice && !q.options.is_empty() {
            errors.add(&field("options"), "only choice questions have options");
        }
        match (q.kind, q.scale_min, q.scale_max) {
            (QuestionKind::Scale, Some(min), Some(max)) if min < max => {}
            (QuestionKind::Scale, _, _) => {
                errors.add(&field("scale_max"), "a scale needs scale_min < scale_max")
            }
            (_, None, None) => {}
            _ => errors.add(&field("scale_min"), "only scale questions have bounds"),
        }
    }
    errors.into_result().map_err(EnrolmentError::Invalid)
}

/// Defines (or replaces) a training's questionnaire. Administrators only.
pub async fn set_questionnaire(
    tx: &mut WriteTx,
    principal: &Principal,
    training_id: Uuid,
    questions: Vec<Question>,
) -> Result<Questionnaire> {
    if !principal.is_admin() {
        return Err(EnrolmentError::Forbidden(
            "only administrators define positioning questionnaires",
        ));
    }
    if !catalogue::training_exists(tx.conn(), training_id).await? {
        return Err(EnrolmentError::TrainingNotFound);
    }
    check_questions(&questions)?;
    let at = tx.now();
    store::save_questionnaire(tx.conn(), training_id, &questions, principal.person_id, at).await?;
    Ok(Questionnaire {
        training_id,
        questions,
        updated_at: at,
    })
}

/// A training's questionnaire, for any signed-in person.
pub async fn questionnaire(db: &impl ConnectionTrait, training_id: Uuid) -> Result<Questionnaire> {
    store::questionnaire(db, training_id)
        .await?
        .ok_or(EnrolmentError::QuestionnaireNotFound)
}

fn check_answers(questions: &[Question], answers: &[Answer]) -> Result<()> {
    let mut errors = FieldErrors::default();
    let mut seen = BTreeSet::new();
    for (i, answer) in answers.iter().enumerate() {
        let field = format!("answers[{i}]");
        let Some(q) = questions.iter().find(|q| q.key == answer.key) else {
            errors.add(&format!("{field}.key"), "no question has this key");
            continue;
        };
        if !seen.insert(answer.key.as_str()) {
            errors.add(&format!("{field}.key"), "answered twice");
        }
        let chosen: BTreeSet<&str> = answer.choices.iter().map(String::as_str).collect();
        let known = chosen.iter().all(|c| q.options.iter().any(|o| o == c));
        let ok = match q.kind {
            QuestionKind::SingleChoice => answer.choices.len() == 1 && known,
            QuestionKind::MultipleChoice => {
                !chosen.is_empty() && chosen.len() == answer.choices.len() && known
            }
            QuestionKind::Scale => answer.value.is_some_and(|v| {
                q.scale_min.is_some_and(|m| v >= m) && q.scale_max.is_some_and(|m| v <= m)
            }),
            QuestionKind::FreeText => answer
                .text
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= MAX_TEXT_CHARS),
        };
        if !ok {
            errors.add(&field, format!("not an answer to {:?}", q.prompt));
        }
    }
    for q in questions {
        if !seen.contains(q.key.as_str()) {
            errors.add("answers", format!("{} is not answered", q.key));
        }
    }
    errors.into_result().map_err(EnrolmentError::Invalid)
}

/// The trainee answers (or answers again) before the session starts.
pub async fn answer_positioning(
    tx: &mut WriteTx,
    principal: &Principal,
    enrolment_id: Uuid,
    answers: Vec<Answer>,
) -> Result<Positioning> {
    let row = store::by_id(tx.conn(), enrolment_id)
        .await?
        .filter(|r| r.person_id == principal.person_id)
        .ok_or(EnrolmentError::NotFound)?;
    let session = catalogue::lock_for_seats(tx, row.session_id)
        .await?
        .ok_or(EnrolmentError::SessionNotFound)?;
    if session.starts_at.is_some_and(|s| tx.now() >= s) {
        return Err(EnrolmentError::SessionStarted);
    }
    let training = catalogue::training_of_session(tx.conn(), row.session_id)
        .await?
        .ok_or(EnrolmentError::SessionNotFound)?;
    let questionnaire = questionnaire(tx.conn(), training).await?;
    check_answers(&questionnaire.questions, &answers)?;
    let at = tx.now();
    store::save_answers(tx.conn(), enrolment_id, &answers, at).await?;
    let before = store::lock(tx, enrolment_id)
        .await?
        .ok_or(EnrolmentError::NotFound)?;
    store::mark_positioned(tx, &before, at).await?;
    Ok(Positioning {
        enrolment_id,
        answers,
        answered_at: at,
    })
}

/// The answers, for the trainee, the session's trainers and administrators.
pub async fn positioning(
    db: &impl ConnectionTrait,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<Positioning> {
    let row = store::by_id(db, enrolment_id)
        .await?
        .ok_or(EnrolmentError::NotFound)?;
    let trainer = principal.has(Role::Trainer)
        && catalogue::trainer_ids_of(db, row.session_id)
            .await?
            .contains(&principal.person_id);
    if !(row.person_id == principal.person_id || trainer || principal.is_admin()) {
        return Err(EnrolmentError::NotFound);
    }
    store::answers(db, enrolment_id)
        .await?
        .ok_or(EnrolmentError::PositioningNotFound)
}
