//! Enrolling: who may be enrolled, what they pay, and who gets a seat or waits.
//!
//! Requests are decided per session in groups ([`enrol_group`]): under the session's lock, every
//! request of the group is read at once (earlier idempotency keys, people already enrolled),
//! decided in arrival order in memory exactly as if they came one after the other
//! ([`decide`], pure), and written with one seat update and one insert ([`write`]). A single
//! request is a group of one ([`enrol`]); the server hands concurrent requests to
//! [`EnrolBatch`] through a [`GroupCommit`](crate::db::group::GroupCommit), so that one
//! transaction decides all requests that arrived while the previous one was being written.
//!
//! Capacity stays exact on both engines because every seat change happens under the session
//! row's lock (`lock_for_seats`: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite `BEGIN
//! IMMEDIATE` already makes the transaction the only writer) and the seat count moves by a
//! conditional update that refuses to pass the capacity.

mod batch;
mod decide;
mod write;

use std::collections::{HashMap, HashSet};

use sea_orm::DbErr;
use uuid::Uuid;

use super::{EnrolmentError, MAX_NEEDS_CHARS, Result};
use crate::accounts::service as accounts;
use crate::catalogue::model::{SessionStatus, TrainingStatus};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::enrolment::model::{EnrolRequest, Enrolled};
use crate::enrolment::store::{self, Row};
use crate::principal::{Principal, Role};
use crate::validation::FieldErrors;
pub use batch::{EnrolBatch, enrolment_writer};
use decide::{Facts, LateFacts, refusal};

/// A checked enrolment request (its fields; who may enrol whom is decided with the seat, from
/// the person's standing read in the same transaction).
#[derive(Debug)]
pub struct PreparedEnrolment {
    request: EnrolRequest,
    late: LateRules,
}

/// What a request says about enrolling once the session has started.
#[derive(Debug, Clone, Copy, Default)]
pub struct LateRules {
    /// The first half-day the person will attend; by default the first one not yet ended.
    pub first_slot_id: Option<uuid::Uuid>,
    /// Whether the server lets a session's trainers enrol people late
    /// (`PASSERELLE_TRAINERS_ENROL_LATE`); administrators always may.
    pub trainers_may_enrol_late: bool,
}

impl PreparedEnrolment {
    /// The same request, with what it says about a late enrolment.
    pub fn with_late_rules(mut self, late: LateRules) -> Self {
        self.late = late;
        self
    }
}

/// One enrolment request of a group: who asks, and what.
#[derive(Debug)]
pub struct EnrolJob {
    pub principal: Principal,
    pub prepared: PreparedEnrolment,
}

impl EnrolJob {
    /// The person to enrol: the one named, else the caller.
    fn person_id(&self) -> Uuid {
        self.prepared
            .request
            .person_id
            .unwrap_or(self.principal.person_id)
    }
}

/// Checks the request's fields (the person and the session are read when it is decided).
pub fn prepare_enrolment(request: EnrolRequest) -> Result<PreparedEnrolment> {
    check_request(&request)?;
    Ok(PreparedEnrolment {
        request,
        late: LateRules::default(),
    })
}

fn check_request(request: &EnrolRequest) -> Result<()> {
    let mut errors = FieldErrors::default();
    if request.needs.chars().count() > MAX_NEEDS_CHARS {
        errors.add("needs", format!("at most {MAX_NEEDS_CHARS} characters"));
    }
    if request.funding_amount_cents.is_some_and(|a| a < 0) {
        errors.add("funding_amount_cents", "must not be negative");
    }
    errors.into_result().map_err(EnrolmentError::Invalid)
}

/// Enrols the prepared person in a published session: confirmed while a seat is free, else
/// waitlisted at the end of the line. The price is the training's member price when the
/// person's organisation is a member of the federation, else its non-member price, and is stored
/// with the enrolment. For callers that hold their own transaction (a sync push deciding one
/// mutation in its savepoint); the HTTP handler goes through [`EnrolBatch`].
pub async fn enrol(
    tx: &mut WriteTx,
    principal: &Principal,
    prepared: PreparedEnrolment,
) -> Result<Enrolled> {
    let session_id = prepared.request.session_id;
    let job = EnrolJob {
        principal: principal.clone(),
        prepared,
    };
    match enrol_group(tx, session_id, std::slice::from_ref(&job)).await {
        Ok(mut answers) => answers
            .pop()
            .unwrap_or(Err(EnrolmentError::SessionNotFound)),
        Err(error) => Err(unique_violation(error)),
    }
}

/// Decides `jobs` (all for `session_id`, in arrival order) as if they came one after the other,
/// and writes the new enrolments: reads under the session's lock, then [`decide::decide`]
/// (pure), then [`write::write`]. `Err` only for a database error, which leaves the group's
/// writes to be rolled back by the caller.
pub async fn enrol_group(
    tx: &mut WriteTx,
    session_id: Uuid,
    jobs: &[EnrolJob],
) -> std::result::Result<Vec<Result<Enrolled>>, DbErr> {
    let session = catalogue::lock_for_seats(tx, session_id)
        .await?
        .filter(|s| s.status != SessionStatus::Draft && s.training_status != TrainingStatus::Draft);
    let people: Vec<Uuid> = jobs.iter().map(EnrolJob::person_id).collect();
    let standings = accounts::standings(tx.conn(), &people).await?;
    // Once the session has started, administrators (and its trainers, if allowed) enrol late:
    // the half-days and trainers are read only then, and only for such a caller.
    let now = tx.now();
    let started = session
        .as_ref()
        .and_then(|s| s.starts_at)
        .is_some_and(|starts| now >= starts);
    let may_be_late = |job: &EnrolJob| job.principal.is_admin() || job.principal.has(Role::Trainer);
    let late_reads = if started && jobs.iter().any(may_be_late) {
        Some(catalogue::slots_and_trainers(tx.conn(), session_id).await?)
    } else {
        None
    };
    let late = late_reads.as_ref().map(|(slots, trainers)| LateFacts {
        slots: slots.as_slice(),
        trainers: trainers.as_slice(),
    });
    let refused = |job: &EnrolJob| refusal(job, &standings, session.as_ref(), late.as_ref());
    let Some(session) = session
        .as_ref()
        .filter(|_| jobs.iter().any(|j| refused(j).is_none()))
    else {
        return Ok(jobs
            .iter()
            .map(|j| Err(refused(j).unwrap_or(EnrolmentError::SessionNotFound)))
            .collect());
    };
    let keys: Vec<(Uuid, String)> = jobs
        .iter()
        .filter_map(|j| {
            let key = j.prepared.request.idempotency_key.clone()?;
            Some((j.principal.person_id, key))
        })
        .collect();
    let earlier: HashMap<(Uuid, String), Row> = store::by_idempotency_keys(tx.conn(), &keys)
        .await?
        .into_iter()
        .filter_map(|row| Some(((row.enrolled_by, row.idempotency_key.clone()?), row)))
        .collect();
    let enrolled: HashSet<Uuid> = store::active_people(tx.conn(), session_id, &people)
        .await?
        .into_iter()
        .collect();
    let facts = Facts {
        session,
        standings: &standings,
        earlier: &earlier,
        enrolled,
        now,
        late,
    };
    let plan = decide::decide(jobs, facts);
    write::write(tx, session_id, plan).await
}

/// The database's unique indexes are the last word on a race (another process, or a key used
/// for two sessions at once): one active enrolment per person and session, one enrolment per
/// caller's idempotency key.
fn unique_violation(error: DbErr) -> EnrolmentError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message))
            if message.contains("idempotency") =>
        {
            EnrolmentError::IdempotencyKeyReused
        }
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => EnrolmentError::AlreadyEnrolled,
        _ => EnrolmentError::Db(error),
    }
}
