//! The decide phase of a group of enrolment requests: pure, from what was read under the
//! session's lock (the people's standing, earlier idempotency keys, who is already enrolled, the
//! free seats) to one decision per request and the new rows to write, in arrival order, exactly
//! as if the requests came one after the other.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::EnrolJob;
use crate::accounts::model::Standing;
use crate::catalogue::model::Slot;
use crate::catalogue::policy::public_session;
use crate::catalogue::service::SeatsView;
use crate::enrolment::model::{LateStart, PriceKind};
use crate::enrolment::policy::{self, LateRight};
use crate::enrolment::service::{EnrolmentError, Result};
use crate::enrolment::store::{NewEnrolment, Row};
use crate::validation::FieldErrors;

/// How one request of a group was decided, before the rows are written.
pub(super) enum Decision {
    /// Refused by a rule.
    Refused(EnrolmentError),
    /// An earlier request with the same key made this enrolment.
    Replay(Box<Row>),
    /// The `n`-th new enrolment of the group; `replayed` when an earlier request of the same
    /// group with the same key asked for it.
    New { index: usize, replayed: bool },
}

/// What the decide phase reads, all of it read under the session's lock.
pub(super) struct Facts<'a> {
    /// The session, open to the group (not draft).
    pub session: &'a SeatsView,
    /// Each person's standing, by person.
    pub standings: &'a HashMap<Uuid, Standing>,
    /// Enrolments made earlier with the group's idempotency keys, by (caller, key).
    pub earlier: &'a HashMap<(Uuid, String), Row>,
    /// The people of the group already enrolled in the session (waiting or confirmed).
    pub enrolled: HashSet<Uuid>,
    /// The transaction's instant.
    pub now: DateTime<Utc>,
    /// Read once the session has started, when a caller of the group may enrol late.
    pub late: Option<LateFacts<'a>>,
}

/// What a late enrolment is decided from: the session's half-days and trainers.
#[derive(Debug, Clone, Copy)]
pub(super) struct LateFacts<'a> {
    /// In time order.
    pub slots: &'a [Slot],
    pub trainers: &'a [Uuid],
}

/// A new enrolment decided, before its row is written.
pub(super) struct Planned {
    /// Its row, confirmed (`waitlist_position` is `None`).
    pub row: NewEnrolment,
    /// `Some(n)`: the `n`-th of the group to wait (0 first), behind those already waiting.
    pub waits: Option<i32>,
}

/// The group's decisions and what they write.
pub(super) struct Plan {
    /// One per request, in arrival order.
    pub decisions: Vec<Decision>,
    /// The new enrolments, in the order [`Decision::New`] counts them.
    pub new: Vec<Planned>,
    /// Seats the new confirmed enrolments take.
    pub confirmed: i32,
}

/// Decides `jobs` in arrival order as if they came one after the other: a refusal by the rules,
/// a replay of an earlier request with the same key, else a seat while one is free and a place
/// on the waitlist after.
pub(super) fn decide(jobs: &[EnrolJob], facts: Facts<'_>) -> Plan {
    let Facts {
        session,
        standings,
        earlier,
        mut enrolled,
        now,
        late: late_facts,
    } = facts;
    let mut free = session.free_seats();
    let mut plan = Plan {
        decisions: Vec::with_capacity(jobs.len()),
        new: Vec::new(),
        confirmed: 0,
    };
    let mut waiting = 0;
    let mut keyed: HashMap<(Uuid, String), usize> = HashMap::new();
    for job in jobs {
        if let Some(refused) = refusal(job, standings, Some(session), late_facts.as_ref()) {
            plan.decisions.push(Decision::Refused(refused));
            continue;
        }
        let (principal, person_id) = (&job.principal, job.person_id());
        let key = job
            .prepared
            .request
            .idempotency_key
            .clone()
            .map(|k| (principal.person_id, k));
        if let Some(key) = &key {
            if let Some(row) = earlier.get(key) {
                let same = row.session_id == session.id && row.person_id == person_id;
                plan.decisions.push(if same {
                    Decision::Replay(Box::new(row.clone()))
                } else {
                    Decision::Refused(EnrolmentError::IdempotencyKeyReused)
                });
                continue;
            }
            if let Some(&index) = keyed.get(key) {
                let same = plan.new[index].row.person_id == person_id;
                plan.decisions.push(if same {
                    Decision::New {
                        index,
                        replayed: true,
                    }
                } else {
                    Decision::Refused(EnrolmentError::IdempotencyKeyReused)
                });
                continue;
            }
        }
        let late_start = match check_open(job, session, now, late_facts.as_ref()) {
            Ok(late_start) => late_start,
            Err(refusal) => {
                plan.decisions.push(Decision::Refused(refusal));
                continue;
            }
        };
        if enrolled.contains(&person_id) {
            plan.decisions
                .push(Decision::Refused(EnrolmentError::AlreadyEnrolled));
            continue;
        }
        if late_start.is_some() && free <= 0 {
            // Nobody waits for a seat in a session already running.
            plan.decisions
                .push(Decision::Refused(EnrolmentError::SessionFull));
            continue;
        }
        enrolled.insert(person_id);
        let waits = if free > 0 {
            free -= 1;
            plan.confirmed += 1;
            None
        } else {
            waiting += 1;
            Some(waiting - 1)
        };
        if let Some(key) = key {
            keyed.insert(key, plan.new.len());
        }
        plan.decisions.push(Decision::New {
            index: plan.new.len(),
            replayed: false,
        });
        let mut row = new_enrolment(session, job, person_id, standings.get(&person_id));
        row.late_start = late_start;
        plan.new.push(Planned { row, waits });
    }
    plan
}

/// Why a request is refused before any seat is considered: the person (unknown, not one the
/// caller may enrol, deactivated), then the session (unknown or draft, closed or cancelled).
/// Once the session has started (`late`), its trainers enrol anyone when the server allows it,
/// and get 403 when it does not.
pub(super) fn refusal(
    job: &EnrolJob,
    standings: &HashMap<Uuid, Standing>,
    session: Option<&SeatsView>,
    late: Option<&LateFacts<'_>>,
) -> Option<EnrolmentError> {
    let late_right = late.map(|l| late_right(job, l));
    let Some(standing) = standings.get(&job.person_id()).filter(|s| {
        policy::may_enrol(&job.principal, s.person_id, s.organisation_id)
            || late_right == Some(LateRight::Allowed)
    }) else {
        return Some(if late_right == Some(LateRight::TrainerNotAllowed) {
            EnrolmentError::Forbidden(
                "the session's trainers enrol people late only where the server allows it \
                 (PASSERELLE_TRAINERS_ENROL_LATE)",
            )
        } else {
            EnrolmentError::PersonNotFound
        });
    };
    if !standing.active {
        return Some(EnrolmentError::PersonInactive);
    }
    match session {
        None => Some(EnrolmentError::SessionNotFound),
        Some(s) if !public_session(s.status, s.training_status) => {
            Some(EnrolmentError::SessionNotOpen)
        }
        Some(_) => None,
    }
}

/// The row a new enrolment will have: the price of the person's standing, confirmed (the
/// write phase places those who wait).
fn new_enrolment(
    session: &SeatsView,
    job: &EnrolJob,
    person_id: Uuid,
    standing: Option<&Standing>,
) -> NewEnrolment {
    let request = &job.prepared.request;
    let (price_kind, price) = if standing.is_some_and(|s| s.member) {
        (PriceKind::Member, &session.member_price)
    } else {
        (PriceKind::NonMember, &session.non_member_price)
    };
    NewEnrolment {
        session_id: session.id,
        person_id,
        organisation_id: standing.and_then(|s| s.organisation_id),
        waitlist_position: None,
        price_kind,
        price_cents: price.amount_cents,
        price_currency: price.currency.clone().unwrap_or_else(|| "EUR".into()),
        trainee_type: request.trainee_type,
        funding_source: request.funding_source,
        funding_amount_cents: request.funding_amount_cents,
        needs: request.needs.trim().to_owned(),
        enrolled_by: job.principal.person_id,
        idempotency_key: request.idempotency_key.clone(),
        late_start: None,
    }
}

fn late_right(job: &EnrolJob, late: &LateFacts<'_>) -> LateRight {
    policy::late_right(
        &job.principal,
        late.trainers,
        job.prepared.late.trainers_may_enrol_late,
    )
}

/// Enrolment closes at the deadline, and in any case when the first half-day starts; after
/// that, only a late enrolment (an administrator, or a trainer where allowed) is made, from the
/// half-day named or else the first one not yet ended. Answers that half-day for a late one.
fn check_open(
    job: &EnrolJob,
    session: &SeatsView,
    now: DateTime<Utc>,
    late: Option<&LateFacts<'_>>,
) -> Result<Option<LateStart>> {
    let asked = job.prepared.late.first_slot_id;
    let started = session.starts_at.is_some_and(|s| now >= s);
    if !started {
        if asked.is_some() {
            return Err(invalid_first_slot(
                "only for a late enrolment, once the session has started",
            ));
        }
        if session.enrolment_deadline.is_some_and(|d| now >= d) {
            return Err(EnrolmentError::DeadlinePassed);
        }
        return Ok(None);
    }
    let Some(late) = late.filter(|l| late_right(job, l) == LateRight::Allowed) else {
        return Err(EnrolmentError::SessionStarted);
    };
    let first = match asked {
        Some(id) => late
            .slots
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| invalid_first_slot("not a half-day of this session"))?,
        None => late
            .slots
            .iter()
            .filter(|s| s.ends_at > now)
            .min_by_key(|s| s.starts_at)
            .ok_or(EnrolmentError::SessionOver)?,
    };
    Ok(Some(LateStart {
        slot_id: first.id,
        starts_at: first.starts_at,
    }))
}

fn invalid_first_slot(message: &str) -> EnrolmentError {
    let mut errors = FieldErrors::default();
    errors.add("first_slot_id", message);
    EnrolmentError::Invalid(errors)
}

#[cfg(test)]
mod tests;
