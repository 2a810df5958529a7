//! The evidence sources the referential names (`referential.json`), each a reading of other
//! contexts' records over a part of the period: what holds its evidence, what lacks it (a gap
//! linked to the record), and counts by category.

use sea_orm::ConnectionTrait;

use super::Result;
use super::scope::Scope;
use crate::catalogue::model::TrainerKind;
use crate::evidence::model::Finding;

/// Every source name this build computes (the referential may name no other; a unit test
/// checks).
pub const KNOWN: &[&str] = &[
    "programmes",
    "result_indicators",
    "needs",
    "positioning",
    "convocations",
    "accommodations",
    "assessments",
    "absence_follow_up",
    "rooms_and_trainers",
    "trainer_competences",
    "subcontracting",
    "disability_referents",
    "watch_regulatory",
    "watch_trade",
    "watch_pedagogical",
    "surveys",
    "complaints",
    "improvement_actions",
    "risk_analysis",
    "reports_channel",
    "outside_passerelle",
];

/// What `source` finds over the scope.
pub async fn find(db: &impl ConnectionTrait, scope: &Scope<'_>, source: &str) -> Result<Finding> {
    let mut found = Finding::new(source);
    match source {
        "programmes" => seats::programmes(scope, &mut found),
        "result_indicators" => seats::result_indicators(scope, &mut found),
        "needs" => seats::needs(scope, &mut found),
        "positioning" => seats::positioning(db, scope, &mut found).await?,
        "convocations" => seats::convocations(db, scope, &mut found).await?,
        "accommodations" => seats::accommodations(db, scope, &mut found).await?,
        "assessments" => seats::assessments(db, scope, &mut found).await?,
        "absence_follow_up" => seats::absence_follow_up(db, scope, &mut found).await?,
        "rooms_and_trainers" => people::rooms_and_trainers(scope, &mut found),
        "trainer_competences" => people::trainer_competences(db, scope, &mut found).await?,
        "subcontracting" => people::subcontracting(db, scope, &mut found).await?,
        "disability_referents" => people::disability_referents(scope, &mut found),
        "watch_regulatory" => registers::watch(db, scope, &mut found, "regulatory").await?,
        "watch_trade" => registers::watch(db, scope, &mut found, "trade").await?,
        "watch_pedagogical" => registers::watch(db, scope, &mut found, "pedagogical").await?,
        "surveys" => registers::surveys(db, scope, &mut found).await?,
        "complaints" => registers::complaints(db, scope, &mut found).await?,
        "improvement_actions" => registers::improvement_actions(db, scope, &mut found).await?,
        "risk_analysis" => registers::risk_analysis(db, scope, &mut found).await?,
        "reports_channel" => registers::reports_channel(db, scope, &mut found).await?,
        _ => {
            found.outside = true;
            found.note = Some(
                "Preuve tenue hors de Passerelle (supports pédagogiques, plan de développement \
                 des compétences…) : à apporter à l'auditeur."
                    .to_owned(),
            );
        }
    }
    Ok(found)
}

/// Whether a session of more than two days started in the part (V9 ind. 12 applies then).
pub fn has_long_training(scope: &Scope<'_>) -> bool {
    seats::long_sessions(scope).next().is_some()
}

/// Whether an external trainer taught a session of the part (ind. 27 applies then).
pub async fn has_subcontracted_trainer(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
) -> Result<bool> {
    for trainer in people::trainers_of(db, scope).await? {
        if trainer.kind == TrainerKind::External {
            return Ok(true);
        }
    }
    Ok(false)
}

pub mod attended;
mod people;
mod registers;
mod seats;

#[cfg(test)]
mod tests {
    use super::KNOWN;
    use crate::evidence::referential::versions;

    #[test]
    fn every_source_the_referential_names_is_computed() {
        for version in versions() {
            for indicator in &version.indicators {
                for source in &indicator.sources {
                    assert!(
                        KNOWN.contains(&source.as_str()),
                        "{} ind. {} names `{source}`, which no code computes",
                        version.version,
                        indicator.number
                    );
                }
            }
        }
    }
}
