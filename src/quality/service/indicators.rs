//! The result indicators a training publishes (Qualiopi ind. 2), per calendar year of its
//! sessions' end (in each session's time zone): trainees, completion, drop-outs and their
//! causes, hot-survey satisfaction and response rate — each with its formula in words and the
//! count it rests on. A ratio or a mean over fewer than [`MIN_PUBLISHED_BASE`] people is
//! published as "not enough answers", never as a number (a small group's answers could be told
//! apart).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use uuid::Uuid;

use super::surveys::{due_for_sessions, holds_seat};
use super::{QualityError, Result};
use crate::attendance::model::DropOutCause;
use crate::attendance::service as attendance;
use crate::catalogue::model::{
    Figure, FigureUnit, Session, SessionFilter, SessionStatus, TrainingResults, YearResults,
};
use crate::catalogue::service::{self as catalogue, ResultsFuture, ResultsSource};
use crate::enrolment::service as enrolment;
use crate::quality::model::surveys::{SurveyKind, SurveyRules};
use crate::quality::store;

/// The fewest people a published ratio or mean may rest on.
pub const MIN_PUBLISHED_BASE: u64 = 5;

/// Figures that depend on records no commit watermark covers (drop-outs in the absence log)
/// are recomputed at least this often.
const RECOMPUTE_AT_LEAST_EVERY: Duration = Duration::minutes(5);

/// Computes the indicators with the house's survey rules and completion threshold.
#[derive(Debug, Clone, Copy)]
pub struct ResultIndicators {
    pub rules: SurveyRules,
    /// Percentage of planned hours attended that counts as completing.
    pub completion_threshold_percent: u32,
}

impl ResultsSource for ResultIndicators {
    fn results<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        training_id: Uuid,
        now: DateTime<Utc>,
    ) -> ResultsFuture<'a> {
        Box::pin(async move {
            training_results(db, self, training_id, now)
                .await
                .map_err(|e| match e {
                    QualityError::Db(db) => db,
                    other => DbErr::Custom(other.to_string()),
                })
        })
    }
}

fn local_end(session: &Session) -> Option<NaiveDate> {
    let end = session.ends_at?;
    Some(match session.time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => end.with_timezone(&tz).date_naive(),
        Err(_) => end.date_naive(),
    })
}

fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// A ratio in percent, withheld under the minimum base.
fn percent(part: u64, base: u64) -> Option<f64> {
    (base >= MIN_PUBLISHED_BASE).then(|| rounded(part as f64 * 100.0 / base as f64, 1))
}

fn cause_key(cause: DropOutCause) -> &'static str {
    match cause {
        DropOutCause::Personal => "personal",
        DropOutCause::Professional => "professional",
        DropOutCause::Health => "health",
        DropOutCause::ContentUnsuited => "content_unsuited",
        DropOutCause::Other => "other",
    }
}

/// A training's indicators at `now` (every year with an ended session, latest first).
pub async fn training_results(
    db: &impl ConnectionTrait,
    how: &ResultIndicators,
    training_id: Uuid,
    now: DateTime<Utc>,
) -> Result<TrainingResults> {
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Closed],
        training_id: Some(training_id),
        ..Default::default()
    };
    let sessions = catalogue::all_sessions_matching(db, &filter).await?;
    let next_end = sessions
        .iter()
        .filter_map(|s| s.ends_at)
        .filter(|&end| end > now)
        .min();
    let mut by_year: BTreeMap<i32, Vec<Session>> = BTreeMap::new();
    for session in sessions {
        if session.ends_at.is_some_and(|end| end <= now)
            && let Some(day) = local_end(&session)
        {
            by_year.entry(day.year()).or_default().push(session);
        }
    }
    let mut years = Vec::new();
    for (year, sessions) in by_year.into_iter().rev() {
        years.push(year_results(db, how, year, &sessions, now).await?);
    }
    let soon = now + RECOMPUTE_AT_LEAST_EVERY;
    Ok(TrainingResults {
        training_id,
        years,
        fresh_until: Some(next_end.map_or(soon, |end| end.min(soon))),
    })
}

async fn year_results(
    db: &impl ConnectionTrait,
    how: &ResultIndicators,
    year: i32,
    sessions: &[Session],
    now: DateTime<Utc>,
) -> Result<YearResults> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let threshold = u64::from(how.completion_threshold_percent);
    let (mut trainees, mut recorded, mut completed) = (0u64, 0u64, 0u64);
    let mut causes: BTreeMap<&'static str, u64> = BTreeMap::new();
    for session in sessions {
        let holders: Vec<_> = enrolment::seat_holders(db, session.id)
            .await?
            .into_iter()
            .filter(|e| holds_seat(e.status))
            .collect();
        trainees += holders.len() as u64;
        let planned = u64::try_from(session.planned_minutes).unwrap_or(0);
        for attended in holders.iter().filter_map(|e| e.attendance.as_ref()) {
            recorded += 1;
            let minutes = u64::try_from(attended.minutes).unwrap_or(0);
            if minutes * 100 >= threshold * planned {
                completed += 1;
            }
        }
        for (person, cause) in attendance::drop_outs(db, session.id).await? {
            if holders.iter().any(|e| e.person_id == person) {
                *causes.entry(cause_key(cause)).or_default() += 1;
            }
        }
    }
    let dropped: u64 = causes.values().sum();
    // The hot survey: who was invited, who submitted, what they said of the overall satisfaction.
    let due = due_for_sessions(db, &how.rules, sessions, &[SurveyKind::Hot], now).await?;
    let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
    let submitted: Vec<_> = store::invitations_by_ids(db, &ids)
        .await?
        .into_iter()
        .filter(|i| i.submitted_at.is_some())
        .collect();
    let templates = store::templates(db).await?;
    let scores: Vec<i64> = submitted
        .iter()
        .filter_map(|invitation| {
            let template = templates.iter().find(|t| t.id == invitation.template_id)?;
            let question = template.satisfaction_question()?;
            invitation.answers.get(&question.key)?.as_i64()
        })
        .collect();
    let answered = scores.len() as u64;
    let satisfied = scores.iter().filter(|&&s| s >= 4).count() as u64;
    let mean = (answered >= MIN_PUBLISHED_BASE)
        .then(|| rounded(scores.iter().sum::<i64>() as f64 / answered as f64, 2));
    let period = format!(
        "sessions terminées entre le {} et le {}",
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y")
    );
    let figure = |key, label, unit, value, base, formula: String| Figure {
        key,
        label,
        unit,
        value,
        base,
        formula,
        breakdown: Vec::new(),
    };
    let figures = vec![
        figure(
            "trainees",
            "Stagiaires",
            FigureUnit::Count,
            Some(trainees as f64),
            trainees,
            format!(
                "Nombre de stagiaires ayant eu une place (inscription confirmée) aux {period}."
            ),
        ),
        figure(
            "completion_rate",
            "Taux d'achèvement",
            FigureUnit::Percent,
            percent(completed, recorded),
            recorded,
            format!(
                "Stagiaires ayant suivi au moins {threshold} % des heures prévues, divisé par le \
                 nombre de stagiaires dont la présence est arrêtée (sessions clôturées), × 100 — \
                 {period}."
            ),
        ),
        Figure {
            breakdown: causes.into_iter().collect(),
            ..figure(
                "drop_outs",
                "Abandons",
                FigureUnit::Count,
                (trainees >= MIN_PUBLISHED_BASE).then_some(dropped as f64),
                trainees,
                format!(
                    "Nombre de stagiaires dont le suivi des absences enregistre un abandon, \
                     détaillé par cause (personnelle, professionnelle, santé, contenu inadapté, \
                     autre) — {period}."
                ),
            )
        },
        figure(
            "satisfaction_mean",
            "Satisfaction moyenne (sur 5)",
            FigureUnit::ScoreOutOf5,
            mean,
            answered,
            format!(
                "Moyenne des réponses (de 1 à 5) à la question de satisfaction globale des \
                 questionnaires à chaud remis — {period}."
            ),
        ),
        figure(
            "satisfaction_share",
            "Stagiaires satisfaits",
            FigureUnit::Percent,
            percent(satisfied, answered),
            answered,
            format!(
                "Réponses de 4 ou 5 sur 5 à la question de satisfaction globale, divisé par le \
                 nombre de réponses à cette question, × 100 — {period}."
            ),
        ),
        figure(
            "response_rate",
            "Taux de réponse au questionnaire à chaud",
            FigureUnit::Percent,
            percent(submitted.len() as u64, due.len() as u64),
            due.len() as u64,
            format!(
                "Questionnaires à chaud remis, divisé par le nombre de stagiaires invités à y \
                 répondre, × 100 — {period}."
            ),
        ),
    ];
    Ok(YearResults {
        year,
        from,
        to,
        sessions: sessions.len() as u64,
        figures,
    })
}
