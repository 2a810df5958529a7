//! Sources read from the people and places of the part's sessions: rooms and trainers (ind. 17,
//! 18), trainers' competences (21), subcontracted trainers (27), disability referents (26).

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;

use crate::catalogue::model::{Trainer, TrainerKind};
use crate::catalogue::service as catalogue;
use crate::evidence::model::Finding;
use crate::evidence::service::Result;
use crate::evidence::service::scope::Scope;

/// The distinct trainers of the part's sessions, with their profiles.
pub async fn trainers_of(db: &impl ConnectionTrait, scope: &Scope<'_>) -> Result<Vec<Trainer>> {
    let ids: BTreeSet<uuid::Uuid> = scope
        .sessions
        .iter()
        .flat_map(|s| s.trainers.iter().map(|t| t.id))
        .collect();
    let mut all = Vec::new();
    for id in ids {
        all.push(catalogue::get_trainer(db, scope.admin, id).await?);
    }
    Ok(all)
}

fn trainer_href(trainer: &Trainer) -> String {
    format!("/api/v1/trainers/{}", trainer.id)
}

/// Ind. 17, 18: each session has its room and at least one trainer.
pub fn rooms_and_trainers(scope: &Scope<'_>, found: &mut Finding) {
    let mut staffed = 0;
    for session in &scope.sessions {
        let href = format!("/api/v1/sessions/{}", session.id);
        if session.trainers.is_empty() {
            found.gap("session", session.id, href, "Session sans formateur");
        } else {
            staffed += 1;
            found.record("session", session.id, href, session.room.name.clone());
        }
    }
    found.measure(
        "sessions_staffed",
        "Sessions avec une salle et un formateur",
        staffed,
        scope.sessions.len() as u64,
    );
}

/// Ind. 21: each trainer of the part has competences on record.
pub async fn trainer_competences(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let trainers = trainers_of(db, scope).await?;
    let mut with = 0;
    for trainer in &trainers {
        let name = format!("{} {}", trainer.first_name, trainer.last_name);
        if trainer.competences.is_empty() {
            found.gap(
                "trainer",
                trainer.id,
                trainer_href(trainer),
                format!("{name} : aucune compétence enregistrée"),
            );
        } else {
            with += 1;
            found.record("trainer", trainer.id, trainer_href(trainer), name);
        }
    }
    found.measure(
        "trainers_with_competences",
        "Formateurs dont les compétences sont enregistrées",
        with,
        trainers.len() as u64,
    );
    Ok(())
}

/// Ind. 27: each external trainer of the part has a subcontracting contract on record.
pub async fn subcontracting(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let external: Vec<Trainer> = trainers_of(db, scope)
        .await?
        .into_iter()
        .filter(|t| t.kind == TrainerKind::External)
        .collect();
    let mut with = 0;
    for trainer in &external {
        let name = format!("{} {}", trainer.first_name, trainer.last_name);
        if trainer
            .contract_reference
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            found.gap(
                "trainer",
                trainer.id,
                trainer_href(trainer),
                format!("{name} : sous-traitant sans contrat référencé"),
            );
        } else {
            with += 1;
            found.record("trainer", trainer.id, trainer_href(trainer), name);
        }
    }
    found.measure(
        "subcontracts",
        "Formateurs sous-traitants avec leur contrat",
        with,
        external.len() as u64,
    );
    Ok(())
}

/// Ind. 26: each training run in the part names its disability referent.
pub fn disability_referents(scope: &Scope<'_>, found: &mut Finding) {
    let mut seen = BTreeSet::new();
    let (mut named, mut total) = (0, 0);
    for session in &scope.sessions {
        let training = &session.training;
        if !seen.insert(training.id) {
            continue;
        }
        total += 1;
        let href = format!("/api/v1/trainings/{}", training.id);
        if training
            .programme
            .disability_referent
            .email
            .trim()
            .is_empty()
        {
            found.gap("training", training.id, href, "Pas de référent handicap");
        } else {
            named += 1;
        }
    }
    found.measure(
        "disability_referents",
        "Formations qui nomment leur référent handicap",
        named,
        total,
    );
}
