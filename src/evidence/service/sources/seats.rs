//! Sources read from the sessions of the part and their seat holders: the programmes (ind. 1,
//! 5, 6), the published results (2), needs (4), positioning (8), convocations (9),
//! accommodations (10, 26), assessments (11) and the follow-up of absences (12).

use crate::paging::every;
use std::collections::{BTreeMap, BTreeSet};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::attendance::service as attendance;
use crate::catalogue::model::{Session, Training, TrainingStatus};
use crate::documents::service as documents;
use crate::enrolment::service::{self as enrolment, EnrolmentError};
use crate::evidence::model::Finding;
use crate::evidence::service::Result;
use crate::evidence::service::scope::Scope;

fn enrolment_href(id: Uuid) -> String {
    format!("/api/v1/enrolments/{id}")
}

fn session_label(session: &Session) -> String {
    let day = session
        .slots
        .first()
        .map(|s| s.date.format("%d/%m/%Y").to_string());
    format!(
        "« {} » du {}",
        session.training.programme.title,
        day.unwrap_or_default()
    )
}

/// The distinct trainings of the part's sessions.
fn trainings<'s>(scope: &'s Scope<'_>) -> Vec<&'s Training> {
    let mut seen = BTreeSet::new();
    scope
        .sessions
        .iter()
        .map(|s| s.training.as_ref())
        .filter(|t| seen.insert(t.id))
        .collect()
}

/// Sessions over more than two days.
pub fn long_sessions<'s>(scope: &'s Scope<'_>) -> impl Iterator<Item = &'s Session> {
    scope.sessions.iter().filter(|s| {
        s.slots
            .iter()
            .map(|slot| slot.date)
            .collect::<BTreeSet<_>>()
            .len()
            > 2
    })
}

/// Ind. 1, 5, 6: each training run in the part states every item of the public information
/// (V10: the type of recognition and the financing modalities too).
pub fn programmes(scope: &Scope<'_>, found: &mut Finding) {
    let v10 = scope.version.version != "V9";
    let all = trainings(scope);
    let mut complete = 0;
    for training in &all {
        let p = &training.programme;
        let mut lacking = Vec::new();
        let mut lacks = |empty: bool, what: &str| {
            if empty {
                lacking.push(what.to_owned());
            }
        };
        lacks(p.objectives.is_empty(), "objectifs");
        lacks(
            p.prerequisites.is_empty() && !p.no_prerequisites,
            "prérequis",
        );
        lacks(p.duration_minutes <= 0, "durée");
        lacks(p.pedagogical_methods.trim().is_empty(), "méthodes");
        lacks(
            p.assessment_modalities.trim().is_empty(),
            "modalités d'évaluation",
        );
        lacks(p.access_delay.trim().is_empty(), "délai d'accès");
        lacks(p.accessibility.trim().is_empty(), "accessibilité");
        lacks(p.contact.email.trim().is_empty(), "contact");
        if v10 {
            lacks(p.recognition.trim().is_empty(), "type de reconnaissance");
            lacks(
                p.financing_modalities.trim().is_empty(),
                "modalités de financement",
            );
        }
        let href = format!("/api/v1/trainings/{}", training.id);
        if lacking.is_empty() {
            complete += 1;
            found.record("training", training.id, href, p.title.clone());
        } else {
            found.gap(
                "training",
                training.id,
                href,
                format!("Programme « {} » sans : {}", p.title, lacking.join(", ")),
            );
        }
    }
    found.measure(
        "complete_programmes",
        "Formations dont le programme public est complet",
        complete,
        all.len() as u64,
    );
}

/// Ind. 2: the trainings run in the part publish their result indicators (computed for every
/// published training; an unpublished one shows none).
pub fn result_indicators(scope: &Scope<'_>, found: &mut Finding) {
    let all = trainings(scope);
    let mut published = 0;
    for training in &all {
        let href = format!("/api/v1/catalogue/trainings/{}/results", training.id);
        if training.status == TrainingStatus::Published {
            published += 1;
            found.record(
                "training",
                training.id,
                href,
                training.programme.title.clone(),
            );
        } else {
            found.gap(
                "training",
                training.id,
                format!("/api/v1/trainings/{}", training.id),
                format!(
                    "« {} » n'est plus au catalogue : ses résultats ne sont pas publiés",
                    training.programme.title
                ),
            );
        }
    }
    found.measure(
        "published_results",
        "Formations dont les indicateurs de résultats sont publiés, avec leur méthode de calcul",
        published,
        all.len() as u64,
    );
}

/// Ind. 4: each trainee's needs and expectations stated at enrolment.
pub fn needs(scope: &Scope<'_>, found: &mut Finding) {
    let (mut stated, mut total) = (0, 0);
    for (session, e) in scope.seats() {
        total += 1;
        if e.needs.trim().is_empty() {
            found.gap(
                "enrolment",
                e.id,
                enrolment_href(e.id),
                format!("Besoins non recueillis ({})", session_label(session)),
            );
        } else {
            stated += 1;
        }
    }
    found.measure(
        "needs_stated",
        "Stagiaires dont les besoins sont recueillis",
        stated,
        total,
    );
}

/// Ind. 8: each trainee's positioning questionnaire answered (the training must have one).
pub async fn positioning(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let mut has_questionnaire: BTreeMap<Uuid, bool> = BTreeMap::new();
    for training in trainings(scope) {
        let exists = match enrolment::questionnaire(db, training.id).await {
            Ok(_) => true,
            Err(EnrolmentError::QuestionnaireNotFound) => false,
            Err(other) => return Err(other.into()),
        };
        if !exists {
            found.gap(
                "training",
                training.id,
                format!(
                    "/api/v1/trainings/{}/positioning-questionnaire",
                    training.id
                ),
                format!(
                    "« {} » n'a pas de questionnaire de positionnement",
                    training.programme.title
                ),
            );
        }
        has_questionnaire.insert(training.id, exists);
    }
    let (mut answered, mut total) = (0, 0);
    for (session, e) in scope.seats() {
        total += 1;
        if e.positioning_answered_at.is_some() {
            answered += 1;
        } else if has_questionnaire.get(&session.training.id) == Some(&true) {
            found.gap(
                "enrolment",
                e.id,
                enrolment_href(e.id),
                format!("Positionnement non réalisé ({})", session_label(session)),
            );
        }
    }
    found.measure(
        "positioning_done",
        "Positionnements réalisés",
        answered,
        total,
    );
    Ok(())
}

/// Ind. 9: a convocation issued to each trainee.
pub async fn convocations(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let ids: Vec<Uuid> = scope.seats().map(|(_, e)| e.id).collect();
    let issued: BTreeSet<Uuid> = enrolment::convocations_of(db, &ids)
        .await?
        .into_iter()
        .map(|c| c.enrolment_id)
        .collect();
    for (session, e) in scope.seats() {
        if issued.contains(&e.id) {
            found.record(
                "convocation",
                e.id,
                format!("/api/v1/enrolments/{}/convocation", e.id),
                session_label(session),
            );
        } else {
            found.gap(
                "enrolment",
                e.id,
                enrolment_href(e.id),
                format!("Convocation non envoyée ({})", session_label(session)),
            );
        }
    }
    found.measure(
        "convocations_issued",
        "Stagiaires convoqués",
        issued.len() as u64,
        ids.len() as u64,
    );
    Ok(())
}

/// Ind. 10 and 26: accommodation requests and how (and how fast) the referent handled them.
pub async fn accommodations(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let (mut handled, mut total) = (0, 0);
    let mut delays = Vec::new();
    for (session, e) in scope.seats() {
        let requests = every!(|page| enrolment::accommodations(db, scope.admin, e.id, page));
        for request in requests {
            total += 1;
            let href = format!("/api/v1/enrolments/{}/accommodations", e.id);
            match &request.handling {
                Some(handling) => {
                    handled += 1;
                    delays.push((handling.at - request.requested_at).num_days());
                    found.record("accommodation", request.id, href, session_label(session));
                }
                None => found.gap(
                    "accommodation",
                    request.id,
                    href,
                    format!(
                        "Demande d'aménagement sans réponse ({})",
                        session_label(session)
                    ),
                ),
            }
        }
    }
    found.measure(
        "accommodations_handled",
        "Demandes d'aménagement traitées",
        handled,
        total,
    );
    if let Some(longest) = delays.iter().max() {
        found.count(
            "délai de réponse le plus long (jours)",
            u64::try_from(*longest).unwrap_or(0),
        );
    }
    Ok(())
}

/// Ind. 11: an assessment of learning recorded for each trainee of an ended session whose
/// programme plans one.
pub async fn assessments(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let (mut recorded, mut total) = (0, 0);
    for (session, e) in scope.seats() {
        let planned = !session
            .training
            .programme
            .assessment_modalities
            .trim()
            .is_empty();
        if !planned || session.ends_at.is_none_or(|end| end > scope.now) {
            continue;
        }
        total += 1;
        if documents::assessment(db, scope.admin, e.id)
            .await?
            .is_some()
        {
            recorded += 1;
        } else {
            found.gap(
                "enrolment",
                e.id,
                format!("/api/v1/enrolments/{}/assessment", e.id),
                format!(
                    "Évaluation des acquis non enregistrée ({})",
                    session_label(session)
                ),
            );
        }
    }
    found.measure(
        "assessments_recorded",
        "Évaluations des acquis enregistrées (sessions terminées)",
        recorded,
        total,
    );
    Ok(())
}

/// Ind. 12: every trainee absent from a half-day followed up, and the drop-outs' causes (under
/// V9 only the sessions of more than two days).
pub async fn absence_follow_up(
    db: &impl ConnectionTrait,
    scope: &Scope<'_>,
    found: &mut Finding,
) -> Result<()> {
    let sessions: Vec<&Session> = if scope.version.version == "V9" {
        long_sessions(scope).collect()
    } else {
        scope.sessions.iter().collect()
    };
    let (mut followed, mut absent) = (0, 0);
    let mut causes: BTreeMap<String, u64> = BTreeMap::new();
    for session in sessions {
        let href = format!("/api/v1/sessions/{}/absences", session.id);
        // Absences are those of seat holders: a session without any has none to read.
        let roster = scope.holders.get(&session.id).map_or(0, Vec::len);
        let absences = if roster == 0 {
            Vec::new()
        } else {
            attendance::absences(db, scope.admin, session.id).await?
        };
        for absence in absences {
            if absence.absent_slots.is_empty() && absence.follow_ups.is_empty() {
                continue;
            }
            absent += 1;
            if let Some(drop_out) = absence.drop_out()
                && let Some(cause) = drop_out.drop_out_cause
            {
                use sea_orm::ActiveEnum;
                *causes.entry(cause.to_value()).or_default() += 1;
            }
            if absence.follow_ups.is_empty() {
                found.gap(
                    "session",
                    session.id,
                    href.clone(),
                    format!(
                        "Absence de {} {} sans suivi ({})",
                        absence.first_name,
                        absence.last_name,
                        session_label(session)
                    ),
                );
            } else {
                followed += 1;
            }
        }
        found.record("session", session.id, href, session_label(session));
    }
    found.measure("absences_followed", "Absences suivies", followed, absent);
    for (cause, n) in causes {
        found.count(format!("abandon : {cause}"), n);
    }
    Ok(())
}
