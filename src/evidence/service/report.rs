//! Builds the evidence report: the period split by version of the referential, and per
//! indicator its applicability, its findings and its status.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use super::scope::Scope;
use super::sources;
use super::{EvidenceError, Result};
use crate::evidence::model::{IndicatorReport, Report, Status, VersionReport, status_of};
use crate::evidence::referential::{Applicability, versions_over};
use crate::principal::Principal;
use crate::quality::model::surveys::SurveyRules;
use crate::quality::service::AcknowledgeDelay;

/// The longest period a report covers (two years and a day: a fiscal year straddling another).
const MAX_DAYS: i64 = 731;

/// The settings the figures depend on.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceRules {
    pub acknowledge: AcknowledgeDelay,
    pub surveys: SurveyRules,
}

impl EvidenceRules {
    pub fn of(settings: &crate::config::Settings) -> Self {
        Self {
            acknowledge: AcknowledgeDelay::days(settings.complaint_acknowledge_days),
            surveys: SurveyRules::of(settings),
        }
    }
}

/// Refuses a period that ends before it starts or lasts over two years.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<()> {
    let mut errors = crate::validation::FieldErrors::new();
    crate::validation::check_period(
        &mut errors,
        from,
        to,
        MAX_DAYS,
        "a period of at most two years",
    );
    errors.into_result().map_err(EvidenceError::Invalid)
}

/// The evidence report over `from..=to` (days in Paris), for administrators; everyone else is
/// told it does not exist.
pub async fn report(
    db: &impl ConnectionTrait,
    principal: &Principal,
    rules: &EvidenceRules,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Report> {
    if !principal.is_admin() {
        return Err(EvidenceError::NotFound);
    }
    check_period(from, to)?;
    let provider = crate::documents::service::provider(db, principal).await?;
    let mut parts = Vec::new();
    for part in versions_over(from, to) {
        let scope = Scope::read(db, principal, rules, part, now).await?;
        let mut indicators = Vec::new();
        for indicator in &scope.version.indicators {
            let reason = match &indicator.applicability {
                Applicability::NotApplicable(reason) => Some(reason.clone()),
                Applicability::LongerThanTwoDays if !sources::has_long_training(&scope) => Some(
                    "Aucune session de plus de deux jours n'a commencé sur la période.".to_owned(),
                ),
                Applicability::WithSubcontractedTrainer
                    if !sources::has_subcontracted_trainer(db, &scope).await? =>
                {
                    Some("Aucun formateur sous-traitant n'est intervenu sur la période.".to_owned())
                }
                _ => None,
            };
            if let Some(reason) = reason {
                indicators.push(IndicatorReport {
                    number: indicator.number,
                    criterion: indicator.criterion,
                    summary: indicator.summary.clone(),
                    status: Status::NotApplicable,
                    reason: Some(reason),
                    findings: Vec::new(),
                });
                continue;
            }
            let mut findings = Vec::new();
            for source in &indicator.sources {
                findings.push(sources::find(db, &scope, source).await?);
            }
            let status = status_of(&findings);
            let reason = match status {
                Status::Missing if findings.iter().any(|f| f.outside) => Some(
                    "Passerelle ne tient pas cette preuve : à apporter à l'auditeur.".to_owned(),
                ),
                Status::Missing => Some("Rien n'est enregistré sur la période.".to_owned()),
                Status::Partial => {
                    Some("Des enregistrements manquent : voir les manques signalés.".to_owned())
                }
                _ => None,
            };
            indicators.push(IndicatorReport {
                number: indicator.number,
                criterion: indicator.criterion,
                summary: indicator.summary.clone(),
                status,
                reason,
                findings,
            });
        }
        parts.push(VersionReport {
            version: scope.version.version.clone(),
            source: scope.version.source.clone(),
            from: scope.from,
            to: scope.to,
            sessions: scope.sessions.len() as u64,
            indicators,
        });
    }
    Ok(Report {
        from,
        to,
        generated_at: now,
        provider,
        parts,
    })
}
