//! What administrators read of surveys: per session, training, year or kind, how many were
//! invited and answered, and the submitted answers aggregated per question (counts per choice
//! or scale value, a scale's mean, the free texts).

use chrono::{DateTime, Datelike, TimeZone, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::due_for_sessions;
use crate::catalogue::model::{Session, SessionFilter, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::principal::Principal;
use crate::quality::model::surveys::{
    Invitation, QuestionResult, QuestionType, ResultsFilter, SurveyKind, SurveyResults,
    SurveyRules, Template,
};
use crate::quality::service::{QualityError, Result};
use crate::quality::{policy, store};

/// The first instant of a calendar year (UTC).
pub fn year_start(year: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The sessions (published or closed) a filter names: one, a training's, or all of them, and
/// only those that ended in `year` when given.
pub async fn sessions_in_scope(
    db: &impl ConnectionTrait,
    session_id: Option<Uuid>,
    training_id: Option<Uuid>,
    year: Option<i32>,
) -> Result<Vec<Session>> {
    let sessions = match session_id {
        Some(id) => catalogue::session_details(db, id)
            .await?
            .into_iter()
            .filter(|s| training_id.is_none_or(|t| s.training.id == t))
            .collect(),
        None => {
            let filter = SessionFilter {
                statuses: vec![SessionStatus::Published, SessionStatus::Closed],
                training_id,
                from: year.map(year_start),
                to: year.map(|y| year_start(y + 1)),
                ..Default::default()
            };
            catalogue::all_sessions_matching(db, &filter).await?
        }
    };
    Ok(sessions
        .into_iter()
        .filter(|s| s.status != SessionStatus::Cancelled)
        .filter(|s| year.is_none_or(|y| s.ends_at.is_some_and(|end| end.year() == y)))
        .collect())
}

/// Response rate and aggregated answers (administrators). Without a kind, the sessions' kinds
/// (hot, cold, debrief); funders' surveys when asked for (by year).
pub async fn survey_results(
    db: &impl ConnectionTrait,
    principal: &Principal,
    rules: &SurveyRules,
    filter: ResultsFilter,
    now: DateTime<Utc>,
) -> Result<SurveyResults> {
    if !policy::may_administer(principal) {
        return Err(QualityError::Forbidden(
            "only administrators read survey results",
        ));
    }
    let (invited, answered) = if filter.kind == Some(SurveyKind::Funder) {
        let all = store::funder_invitations_of_year(db, filter.year).await?;
        let invited = all.len() as u64;
        (invited, all)
    } else {
        let kinds = match filter.kind {
            Some(kind) => vec![kind],
            None => vec![SurveyKind::Hot, SurveyKind::Cold, SurveyKind::Debrief],
        };
        let sessions =
            sessions_in_scope(db, filter.session_id, filter.training_id, filter.year).await?;
        let due = due_for_sessions(db, rules, &sessions, &kinds, now).await?;
        let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
        (due.len() as u64, store::invitations_by_ids(db, &ids).await?)
    };
    let submitted: Vec<Invitation> = answered
        .into_iter()
        .filter(|i| i.submitted_at.is_some())
        .collect();
    let templates = store::templates(db).await?;
    Ok(SurveyResults {
        invited,
        submitted: submitted.len() as u64,
        response_rate: (invited > 0).then(|| submitted.len() as f64 / invited as f64),
        templates: aggregate(&templates, &submitted),
    })
}

/// Per template the responses used (in template order), each question's results.
pub fn aggregate(
    templates: &[Template],
    submitted: &[Invitation],
) -> Vec<(Template, Vec<QuestionResult>)> {
    templates
        .iter()
        .filter_map(|template| {
            let responses: Vec<&Invitation> = submitted
                .iter()
                .filter(|i| i.template_id == template.id)
                .collect();
            if responses.is_empty() {
                return None;
            }
            let results = template
                .questions
                .iter()
                .map(|question| question_result(question, &responses))
                .collect();
            Some((template.clone(), results))
        })
        .collect()
}

fn question_result(
    question: &crate::quality::model::surveys::Question,
    responses: &[&Invitation],
) -> QuestionResult {
    let values: Vec<&serde_json::Value> = responses
        .iter()
        .filter_map(|r| r.answers.get(&question.key))
        .collect();
    let mut result = QuestionResult {
        question: question.clone(),
        answered: values.len() as u64,
        counts: Vec::new(),
        mean: None,
        texts: Vec::new(),
    };
    match question.kind {
        QuestionType::Scale5 | QuestionType::Scale10 => {
            let numbers: Vec<i64> = values.iter().filter_map(|v| v.as_i64()).collect();
            if let Some((low, high)) = question.kind.scale() {
                result.counts = (low..=high)
                    .map(|n| {
                        (
                            n.to_string(),
                            numbers.iter().filter(|&&x| x == n).count() as u64,
                        )
                    })
                    .collect();
            }
            if !numbers.is_empty() {
                result.mean = Some(numbers.iter().sum::<i64>() as f64 / numbers.len() as f64);
            }
        }
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            result.counts = question
                .choices
                .iter()
                .map(|choice| {
                    let chose = |v: &&&serde_json::Value| match v {
                        serde_json::Value::String(s) => s == choice,
                        serde_json::Value::Array(items) => {
                            items.iter().any(|i| i.as_str() == Some(choice))
                        }
                        _ => false,
                    };
                    (choice.clone(), values.iter().filter(chose).count() as u64)
                })
                .collect();
        }
        QuestionType::Text => {
            let mut dated: Vec<(Option<DateTime<Utc>>, String)> = responses
                .iter()
                .filter_map(|r| {
                    let text = r.answers.get(&question.key)?.as_str()?;
                    Some((r.submitted_at, text.to_owned()))
                })
                .collect();
            dated.sort();
            result.texts = dated.into_iter().map(|(_, t)| t).collect();
        }
    }
    result
}

/// How many were invited to the surveys of `kind` due at `now` for these sessions, and how many
/// of them submitted (for other contexts' reports: the evidence report's ind. 30).
pub async fn response_counts(
    db: &impl ConnectionTrait,
    rules: &SurveyRules,
    sessions: &[Session],
    kind: SurveyKind,
    now: DateTime<Utc>,
) -> Result<(u64, u64)> {
    let due = due_for_sessions(db, rules, sessions, &[kind], now).await?;
    let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
    let submitted = store::invitations_by_ids(db, &ids)
        .await?
        .iter()
        .filter(|i| i.submitted_at.is_some())
        .count();
    Ok((due.len() as u64, submitted as u64))
}

/// Funders invited to the survey of `year`, and how many submitted.
pub async fn funder_counts(db: &impl ConnectionTrait, year: i32) -> Result<(u64, u64)> {
    let all = store::funder_invitations_of_year(db, Some(year)).await?;
    let submitted = all.iter().filter(|i| i.submitted_at.is_some()).count();
    Ok((all.len() as u64, submitted as u64))
}
