//! Enrolling: who may be enrolled, what they pay, and who gets a seat or waits.
//!
//! Requests are decided per session in groups ([`enrol_group`]): under the session's lock, every
//! request of the group is read at once (earlier idempotency keys, people already enrolled),
//! decided in arrival order in memory exactly as if they came one after the other, and written
//! with one seat update and one insert. A single request is a group of one ([`enrol`]); the
//! server hands concurrent requests to [`EnrolBatch`] through a [`GroupCommit`], so that one
//! transaction decides all requests that arrived while the previous one was being written.
//!
//! Capacity stays exact on both engines because every seat change happens under the session
//! row's lock (`lock_for_seats`: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite `BEGIN
//! IMMEDIATE` already makes the transaction the only writer) and the seat count moves by a
//! conditional update that refuses to pass the capacity.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::DbErr;
use uuid::Uuid;

use super::{EnrolmentError, MAX_NEEDS_CHARS, Result};
use crate::accounts::model::Standing;
use crate::accounts::service as accounts;
use crate::catalogue::model::{SessionStatus, TrainingStatus};
use crate::catalogue::policy::public_session;
use crate::catalogue::service::{self as catalogue, SeatsView};
use crate::db::group::{Batch, BatchFuture, GroupCommit};
use crate::db::write::{WriteTx, Writer};
use crate::enrolment::model::{EnrolRequest, Enrolled, PriceKind};
use crate::enrolment::policy;
use crate::enrolment::store::{self, NewEnrolment, Row};
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// A checked enrolment request (its fields; who may enrol whom is decided with the seat, from
/// the person's standing read in the same transaction).
#[derive(Debug)]
pub struct PreparedEnrolment {
    request: EnrolRequest,
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
    Ok(PreparedEnrolment { request })
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

/// How one request of a group was decided, before the rows are written.
enum Decision {
    /// Refused by a rule.
    Refused(EnrolmentError),
    /// An earlier request with the same key made this enrolment.
    Replay(Box<Row>),
    /// The `n`-th new enrolment of the group; `replayed` when an earlier request of the same
    /// group with the same key asked for it.
    New { index: usize, replayed: bool },
}

/// Decides `jobs` (all for `session_id`, in arrival order) as if they came one after the other,
/// and writes the new enrolments. `Err` only for a database error, which leaves the group's
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
    let refused = |job: &EnrolJob| refusal(job, &standings, session.as_ref());
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
    let mut enrolled: HashSet<Uuid> = store::active_people(tx.conn(), session_id, &people)
        .await?
        .into_iter()
        .collect();

    let mut seats = Seats {
        free: session.free_seats(),
        confirmed: 0,
        next_position: None,
    };
    let mut new: Vec<(Uuid, NewEnrolment)> = Vec::new();
    let mut keyed: HashMap<(Uuid, String), usize> = HashMap::new();
    let mut decisions = Vec::with_capacity(jobs.len());
    for job in jobs {
        if let Some(refused) = refused(job) {
            decisions.push(Decision::Refused(refused));
            continue;
        }
        let (principal, prepared, person_id) = (&job.principal, &job.prepared, job.person_id());
        let key = prepared
            .request
            .idempotency_key
            .clone()
            .map(|k| (principal.person_id, k));
        if let Some(key) = &key {
            if let Some(row) = earlier.get(key) {
                let same = row.session_id == session.id && row.person_id == person_id;
                decisions.push(if same {
                    Decision::Replay(Box::new(row.clone()))
                } else {
                    Decision::Refused(EnrolmentError::IdempotencyKeyReused)
                });
                continue;
            }
            if let Some(&index) = keyed.get(key) {
                let same = new[index].1.person_id == person_id;
                decisions.push(if same {
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
        if let Err(refusal) = check_open(session, tx.now()) {
            decisions.push(Decision::Refused(refusal));
            continue;
        }
        if !enrolled.insert(person_id) {
            decisions.push(Decision::Refused(EnrolmentError::AlreadyEnrolled));
            continue;
        }
        let waitlist_position = seats.take(tx, session_id).await?;
        if let Some(key) = key {
            keyed.insert(key, new.len());
        }
        decisions.push(Decision::New {
            index: new.len(),
            replayed: false,
        });
        new.push((
            Uuid::now_v7(),
            new_enrolment(
                session,
                principal,
                prepared,
                person_id,
                standings.get(&person_id),
                waitlist_position,
            ),
        ));
    }
    if seats.confirmed > 0 && !catalogue::take_seats(tx, session_id, seats.confirmed).await? {
        return Err(DbErr::Custom(format!(
            "the seats of session {session_id} moved under its lock"
        )));
    }
    let rows = store::insert_all(tx, new).await?;
    Ok(decisions
        .into_iter()
        .map(|decision| match decision {
            Decision::Refused(error) => Err(error),
            Decision::Replay(row) => Ok(Enrolled {
                enrolment: store::enrolment_of(*row),
                replayed: true,
            }),
            Decision::New { index, replayed } => rows
                .get(index)
                .cloned()
                .map(|row| Enrolled {
                    enrolment: store::enrolment_of(row),
                    replayed,
                })
                .ok_or(EnrolmentError::NotFound),
        })
        .collect())
}

/// Seats handed out in memory while a group is decided (the database count moves once).
struct Seats {
    free: i32,
    confirmed: i32,
    /// The next waitlist position, read from the database when the first person waits.
    next_position: Option<i32>,
}

impl Seats {
    /// `None`: a seat; `Some(n)`: waitlisted at position `n`.
    async fn take(
        &mut self,
        tx: &WriteTx,
        session_id: Uuid,
    ) -> std::result::Result<Option<i32>, DbErr> {
        if self.free > 0 {
            self.free -= 1;
            self.confirmed += 1;
            return Ok(None);
        }
        let position = match self.next_position {
            Some(position) => position,
            None => store::last_position(tx.conn(), session_id).await? + 1,
        };
        self.next_position = Some(position + 1);
        Ok(Some(position))
    }
}

/// Why a request is refused before any seat is considered: the person (unknown, not one the
/// caller may enrol, deactivated), then the session (unknown or draft, closed or cancelled).
fn refusal(
    job: &EnrolJob,
    standings: &HashMap<Uuid, Standing>,
    session: Option<&SeatsView>,
) -> Option<EnrolmentError> {
    let Some(standing) = standings
        .get(&job.person_id())
        .filter(|s| policy::may_enrol(&job.principal, s.person_id, s.organisation_id))
    else {
        return Some(EnrolmentError::PersonNotFound);
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

fn new_enrolment(
    session: &SeatsView,
    principal: &Principal,
    prepared: &PreparedEnrolment,
    person_id: Uuid,
    standing: Option<&Standing>,
    waitlist_position: Option<i32>,
) -> NewEnrolment {
    let request = &prepared.request;
    let (price_kind, price) = if standing.is_some_and(|s| s.member) {
        (PriceKind::Member, &session.member_price)
    } else {
        (PriceKind::NonMember, &session.non_member_price)
    };
    NewEnrolment {
        session_id: session.id,
        person_id,
        organisation_id: standing.and_then(|s| s.organisation_id),
        waitlist_position,
        price_kind,
        price_cents: price.amount_cents,
        price_currency: price.currency.clone().unwrap_or_else(|| "EUR".into()),
        trainee_type: request.trainee_type,
        funding_source: request.funding_source,
        funding_amount_cents: request.funding_amount_cents,
        needs: request.needs.trim().to_owned(),
        enrolled_by: principal.person_id,
        idempotency_key: request.idempotency_key.clone(),
    }
}

/// Enrolment closes at the deadline, and in any case when the first half-day starts.
fn check_open(session: &SeatsView, now: DateTime<Utc>) -> Result<()> {
    if session.enrolment_deadline.is_some_and(|d| now >= d) {
        return Err(EnrolmentError::DeadlinePassed);
    }
    if session.starts_at.is_some_and(|s| now >= s) {
        return Err(EnrolmentError::SessionStarted);
    }
    Ok(())
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

/// Concurrent enrolment requests, decided together (see [`GroupCommit`]).
pub struct EnrolBatch;

/// The server's enrolment writer: one lane per session group (one on SQLite, whose writers take
/// turns anyway), up to 64 requests per transaction.
pub fn enrolment_writer(writer: Writer) -> GroupCommit<EnrolBatch> {
    let lanes = match writer.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => 1,
        _ => 4,
    };
    GroupCommit::new(EnrolBatch, writer, lanes, 64)
}

impl Batch for EnrolBatch {
    type Job = EnrolJob;
    type Answer = Result<Enrolled>;

    fn lane(job: &EnrolJob) -> u64 {
        job.prepared.request.session_id.as_u64_pair().1
    }

    fn run<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        jobs: Vec<EnrolJob>,
    ) -> BatchFuture<'a, Vec<Result<Enrolled>>> {
        Box::pin(enrol_all(tx, jobs))
    }

    fn failed(error: DbErr) -> Result<Enrolled> {
        Err(EnrolmentError::Db(error))
    }
}

/// Decides every job, session by session (in id order: one lock order for all writers). A
/// session's group that fails on a database error (a unique index meeting a race) is rolled back
/// and its requests are decided one by one, each in its own savepoint.
async fn enrol_all(tx: &mut WriteTx, jobs: Vec<EnrolJob>) -> Vec<Result<Enrolled>> {
    let mut groups: BTreeMap<Uuid, Vec<usize>> = BTreeMap::new();
    for (index, job) in jobs.iter().enumerate() {
        groups
            .entry(job.prepared.request.session_id)
            .or_default()
            .push(index);
    }
    let mut answers: Vec<Option<Result<Enrolled>>> = jobs.iter().map(|_| None).collect();
    let mut jobs: Vec<Option<EnrolJob>> = jobs.into_iter().map(Some).collect();
    for (session_id, indices) in groups {
        let group: Vec<EnrolJob> = indices.iter().filter_map(|&i| jobs[i].take()).collect();
        let decided = match in_savepoint(tx, session_id, &group).await {
            Ok(decided) => decided,
            Err(_) => one_by_one(tx, session_id, &group).await,
        };
        for (&index, answer) in indices.iter().zip(decided) {
            answers[index] = Some(answer);
        }
    }
    answers
        .into_iter()
        .map(|a| a.unwrap_or(Err(EnrolmentError::SessionNotFound)))
        .collect()
}

async fn one_by_one(
    tx: &mut WriteTx,
    session_id: Uuid,
    group: &[EnrolJob],
) -> Vec<Result<Enrolled>> {
    let mut answers = Vec::with_capacity(group.len());
    for job in group {
        let answer = match in_savepoint(tx, session_id, std::slice::from_ref(job)).await {
            Ok(mut decided) => decided
                .pop()
                .unwrap_or(Err(EnrolmentError::SessionNotFound)),
            Err(error) => Err(unique_violation(error)),
        };
        answers.push(answer);
    }
    answers
}

/// [`enrol_group`] inside a savepoint: kept when it succeeds, undone when it fails.
async fn in_savepoint(
    tx: &mut WriteTx,
    session_id: Uuid,
    group: &[EnrolJob],
) -> std::result::Result<Vec<Result<Enrolled>>, DbErr> {
    let savepoint = tx.savepoint().await?;
    match enrol_group(tx, session_id, group).await {
        Ok(decided) => {
            tx.release(savepoint).await?;
            Ok(decided)
        }
        Err(error) => {
            tx.rollback_to(savepoint).await?;
            Err(error)
        }
    }
}
