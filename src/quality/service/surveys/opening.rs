//! Which invitations are due, computed from the clock: a trainee's hot survey when the
//! session's last half-day has ended, the cold one some weeks later, a trainer's debrief when
//! the session has ended — for sessions not cancelled, when a template applies. The first read
//! that finds one due and unwritten writes it (a deterministic id, under the person's row lock,
//! so two readers never write it twice).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::template_for;
use crate::catalogue::model::{Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::enrolment::model::EnrolmentStatus;
use crate::enrolment::service as enrolment;
use crate::quality::model::surveys::{
    DueInvitation, SurveyKind, SurveyRules, Template, invitation_id,
};
use crate::quality::service::Result;
use crate::quality::store;

/// The trainees' kinds.
pub const TRAINEE_KINDS: [SurveyKind; 2] = [SurveyKind::Hot, SurveyKind::Cold];

/// A seat holder's enrolment (confirmed, or completed once the session closed).
pub fn holds_seat(status: EnrolmentStatus) -> bool {
    matches!(
        status,
        EnrolmentStatus::Confirmed | EnrolmentStatus::Completed
    )
}

/// The invitation of `kind` due to `person_id` for `session`, if one is due at `now`.
fn due(
    templates: &[Template],
    rules: &SurveyRules,
    kind: SurveyKind,
    session: &Session,
    person_id: Uuid,
    now: DateTime<Utc>,
) -> Option<DueInvitation> {
    if session.status == SessionStatus::Cancelled {
        return None;
    }
    let opens_at = rules.opens(kind, session.ends_at?);
    if opens_at > now {
        return None;
    }
    let template = template_for(templates, kind, session.training.id)?;
    Some(DueInvitation {
        id: invitation_id(kind, session.id, person_id),
        template_id: template.id,
        kind,
        session_id: session.id,
        training_id: session.training.id,
        person_id,
        opens_at,
        deadline: rules.deadline(opens_at),
    })
}

/// Every invitation of `kinds` due at `now` for these sessions (their seat holders for the
/// trainees' kinds, their trainers for the debrief), written or not.
pub async fn due_for_sessions(
    db: &impl ConnectionTrait,
    rules: &SurveyRules,
    sessions: &[Session],
    kinds: &[SurveyKind],
    now: DateTime<Utc>,
) -> Result<Vec<DueInvitation>> {
    let templates = store::templates(db).await?;
    let ended: Vec<&Session> = sessions
        .iter()
        .filter(|s| s.ends_at.is_some_and(|end| end <= now))
        .collect();
    // The ended sessions' seat holders in one query, not one per session.
    let mut holders: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    if kinds.iter().any(|k| TRAINEE_KINDS.contains(k)) {
        let ids: Vec<Uuid> = ended.iter().map(|s| s.id).collect();
        for chunk in ids.chunks(2_000) {
            for holder in enrolment::seat_holders_of(db, chunk).await? {
                holders
                    .entry(holder.session_id)
                    .or_default()
                    .push(holder.person_id);
            }
        }
    }
    let mut all = Vec::new();
    for session in ended {
        for &person in holders.get(&session.id).into_iter().flatten() {
            for &kind in kinds.iter().filter(|k| TRAINEE_KINDS.contains(k)) {
                all.extend(due(&templates, rules, kind, session, person, now));
            }
        }
        if kinds.contains(&SurveyKind::Debrief) {
            for trainer in &session.trainers {
                all.extend(due(
                    &templates,
                    rules,
                    SurveyKind::Debrief,
                    session,
                    trainer.id,
                    now,
                ));
            }
        }
    }
    Ok(all)
}

/// Every invitation due to `person_id` at `now`, written or not.
pub async fn due_for_person(
    db: &impl ConnectionTrait,
    rules: &SurveyRules,
    person_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<DueInvitation>> {
    let templates = store::templates(db).await?;
    if templates.is_empty() {
        return Ok(Vec::new());
    }
    let mut all = Vec::new();
    for enrolment in enrolment::enrolments_of_person(db, person_id).await? {
        if !holds_seat(enrolment.status) {
            continue;
        }
        if let Some(session) = catalogue::session_details(db, enrolment.session_id).await? {
            for kind in TRAINEE_KINDS {
                all.extend(due(&templates, rules, kind, &session, person_id, now));
            }
        }
    }
    for session_id in catalogue::sessions_taught_by(db, person_id).await? {
        if let Some(session) = catalogue::session_details(db, session_id).await? {
            all.extend(due(
                &templates,
                rules,
                SurveyKind::Debrief,
                &session,
                person_id,
                now,
            ));
        }
    }
    Ok(all)
}

/// The invitations due to `person_id` at `now` that are not written yet (a read: the caller
/// opens a write only when there are some).
pub async fn unopened_for_person(
    db: &impl ConnectionTrait,
    rules: &SurveyRules,
    person_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<DueInvitation>> {
    let due = due_for_person(db, rules, person_id, now).await?;
    if due.is_empty() {
        return Ok(due);
    }
    let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
    let written = store::invitations_by_ids(db, &ids).await?;
    Ok(due
        .into_iter()
        .filter(|d| !written.iter().any(|w| w.id == d.id))
        .collect())
}

/// Writes the invitations due to `person_id` now that are not written yet; how many it wrote.
pub async fn open_due(tx: &mut WriteTx, rules: &SurveyRules, person_id: Uuid) -> Result<usize> {
    if tx
        .lock::<entity::person::Entity>(person_id)
        .await?
        .is_none()
    {
        return Ok(0);
    }
    let now = tx.now();
    let unopened = unopened_for_person(tx.conn(), rules, person_id, now).await?;
    for due in &unopened {
        store::insert_due(tx, due).await?;
    }
    Ok(unopened.len())
}
