//! Answering: a respondent saves answers as a draft (each answer replaces that question's, a
//! `null` clears it) until they submit, once; both refused once the deadline has passed. Online
//! and offline (`survey.answer@1`, `survey.submit@1`) take the same path, so two devices'
//! answers merge per question before the deadline.

use sea_orm::ConnectionTrait;
use serde_json::Value;
use uuid::Uuid;

use super::open_due;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::surveys::{
    Answers, Invitation, InvitationState, MAX_TEXT_ANSWER, Question, QuestionType, SurveyRules,
    Template,
};
use crate::quality::service::{QualityError, Result};
use crate::quality::{policy, store};
use crate::validation::FieldErrors;

/// Why `value` does not answer `question`, if it does not.
fn unfit(question: &Question, value: &Value) -> Option<String> {
    let choice = |v: &Value| {
        v.as_str()
            .is_some_and(|s| question.choices.iter().any(|c| c == s))
    };
    match question.kind {
        QuestionType::Scale5 | QuestionType::Scale10 => {
            let (low, high) = question.kind.scale()?;
            match value.as_i64() {
                Some(n) if (low..=high).contains(&n) => None,
                _ => Some(format!("an integer from {low} to {high}")),
            }
        }
        QuestionType::SingleChoice => (!choice(value)).then(|| "one of the choices".into()),
        QuestionType::MultipleChoice => {
            let fits = value.as_array().is_some_and(|items| {
                !items.is_empty()
                    && items.iter().all(choice)
                    && items
                        .iter()
                        .enumerate()
                        .all(|(i, v)| !items[..i].contains(v))
            });
            (!fits).then(|| "a list of distinct choices".into())
        }
        QuestionType::Text => match value.as_str() {
            Some(s) if !s.trim().is_empty() && s.chars().count() <= MAX_TEXT_ANSWER => None,
            _ => Some(format!("a text of 1 to {MAX_TEXT_ANSWER} characters")),
        },
    }
}

/// `draft` with `changes` applied (each checked against the template); 422 naming each bad
/// answer.
pub fn merged(template: &Template, draft: &Answers, changes: Answers) -> Result<Answers> {
    let mut errors = FieldErrors::default();
    let mut answers = draft.clone();
    for (key, value) in changes {
        let field = format!("answers.{key}");
        let Some(question) = template.question(&key) else {
            errors.add(&field, "no such question in this survey");
            continue;
        };
        if value.is_null() {
            answers.remove(&key);
            continue;
        }
        let value = match value {
            Value::String(s) => Value::String(s.trim().to_owned()),
            other => other,
        };
        match unfit(question, &value) {
            Some(message) => errors.add(&field, message),
            None => {
                answers.insert(key, value);
            }
        }
    }
    errors.into_result().map_err(QualityError::Invalid)?;
    Ok(answers)
}

/// 422 naming each required question without an answer.
fn complete(template: &Template, answers: &Answers) -> Result<()> {
    let mut errors = FieldErrors::default();
    for q in template.questions.iter().filter(|q| q.required) {
        errors.check(
            answers.contains_key(&q.key),
            &format!("answers.{}", q.key),
            "this question needs an answer before the survey is submitted",
        );
    }
    errors.into_result().map_err(QualityError::Invalid)
}

/// An invitation with its template.
#[derive(Debug, Clone)]
pub struct Survey {
    pub invitation: Invitation,
    pub template: Template,
}

async fn survey_of(db: &impl ConnectionTrait, invitation: Invitation) -> Result<Survey> {
    let template = store::template(db, invitation.template_id)
        .await?
        .ok_or(QualityError::TemplateNotFound)?;
    Ok(Survey {
        invitation,
        template,
    })
}

/// The caller's invitations (opening those now due first), by id.
pub async fn my_invitations(
    tx: &mut WriteTx,
    principal: &Principal,
    rules: &SurveyRules,
    page: &PageRequest,
) -> Result<Page<Survey>> {
    open_due(tx, rules, principal.person_id).await?;
    let invitations = store::invitations_of_person(tx.conn(), principal.person_id, page).await?;
    with_templates(tx.conn(), invitations).await
}

/// A page of invitations with their templates.
pub(in crate::quality::service) async fn with_templates(
    db: &impl ConnectionTrait,
    invitations: Page<Invitation>,
) -> Result<Page<Survey>> {
    let templates = store::templates(db).await?;
    invitations.try_map(|invitation| {
        let template = templates
            .iter()
            .find(|t| t.id == invitation.template_id)
            .cloned()
            .ok_or(QualityError::TemplateNotFound)?;
        Ok(Survey {
            invitation,
            template,
        })
    })
}

/// An invitation, for its respondent and administrators (404 for everyone else).
pub async fn get_invitation(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Survey> {
    let invitation = store::invitation(db, id)
        .await?
        .filter(|i| policy::may_see_invitation(principal, i.person_id))
        .ok_or(QualityError::InvitationNotFound)?;
    survey_of(db, invitation).await
}

/// Saves answers to the caller's own invitation (or submits it), by id.
pub async fn answer(
    tx: &mut WriteTx,
    principal: &Principal,
    rules: &SurveyRules,
    id: Uuid,
    changes: Answers,
    submit: bool,
) -> Result<Survey> {
    // An invitation due but not yet written (nobody read it since it opened) opens now.
    if store::invitation(tx.conn(), id).await?.is_none() {
        open_due(tx, rules, principal.person_id).await?;
    }
    let row = store::lock_invitation(tx, id)
        .await?
        .filter(|row| row.person_id == Some(principal.person_id))
        .ok_or(QualityError::InvitationNotFound)?;
    write(tx, row, changes, submit).await
}

/// Saves (and, when `submit`, submits) the answers of a locked invitation.
pub(super) async fn write(
    tx: &mut WriteTx,
    row: store::InvitationRow,
    changes: Answers,
    submit: bool,
) -> Result<Survey> {
    let Survey {
        invitation,
        template,
    } = survey_of(tx.conn(), store::invitation_of(row.clone())?).await?;
    match invitation.state(tx.now()) {
        InvitationState::Submitted => return Err(QualityError::SurveySubmitted),
        InvitationState::Closed => return Err(QualityError::SurveyClosed),
        InvitationState::Open => {}
    }
    let answers = merged(&template, &invitation.answers, changes)?;
    if submit {
        complete(&template, &answers)?;
    }
    let invitation = store::write_answers(tx, &row, &answers, submit).await?;
    Ok(Survey {
        invitation,
        template,
    })
}
