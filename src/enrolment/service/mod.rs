//! The rules of enrolment: who gets a seat, who waits and in which order, what they pay, and what
//! a cancellation does. Who may do what is in [`super::policy`]. Writes take the caller's
//! [`WriteTx`]; each first locks the session (`catalogue::service::lock_for_seats`), so one
//! session's enrolments, cancellations and promotions happen one after the other on both engines
//! and seats can neither be given twice nor left free while someone waits.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::model::{
    Cancellation, EnrolRequest, Enrolled, Enrolment, EnrolmentFilter, EnrolmentStatus, PriceKind,
    Promotion,
};
use super::policy;
use super::store::{self, NewEnrolment};
use crate::accounts::service as accounts;
use crate::catalogue::model::{SessionStatus, TrainingStatus};
use crate::catalogue::policy::public_session;
use crate::catalogue::service::{self as catalogue, SeatsView};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::FieldErrors;

mod accommodations;
mod convocations;
mod errors;
mod positioning;

pub use accommodations::*;
pub use convocations::*;
pub use errors::EnrolmentError;
pub use positioning::*;

pub type Result<T> = std::result::Result<T, EnrolmentError>;

/// Needs and expectations: at most this many characters.
pub const MAX_NEEDS_CHARS: usize = 4000;

/// What [`enrol`] needs that can be read before the write transaction begins (so SQLite's write
/// lock is held only for the seat itself): the checked request, the person and their price.
pub struct PreparedEnrolment {
    request: EnrolRequest,
    person_id: Uuid,
    organisation_id: Option<Uuid>,
    member: bool,
}

/// Checks the request and the person (who may enrol them, whether their organisation is a
/// member), outside the transaction.
pub async fn prepare_enrolment(
    db: &impl ConnectionTrait,
    principal: &Principal,
    request: EnrolRequest,
) -> Result<PreparedEnrolment> {
    check_request(&request)?;
    let person_id = request.person_id.unwrap_or(principal.person_id);
    let (person, member) = accounts::person_and_membership(db, person_id)
        .await?
        .filter(|(p, _)| policy::may_enrol(principal, p.id, p.organisation_id))
        .ok_or(EnrolmentError::PersonNotFound)?;
    if !person.active {
        return Err(EnrolmentError::PersonInactive);
    }
    Ok(PreparedEnrolment {
        request,
        person_id: person.id,
        organisation_id: person.organisation_id,
        member,
    })
}

/// Enrols the prepared person in a published session: confirmed while a seat is free, else
/// waitlisted at the end of the line. The price is the training's member price when the
/// person's organisation is a member of the federation, else its non-member price, and is stored
/// with the enrolment.
pub async fn enrol(
    tx: &mut WriteTx,
    principal: &Principal,
    prepared: PreparedEnrolment,
) -> Result<Enrolled> {
    let PreparedEnrolment {
        request,
        person_id,
        organisation_id,
        member,
    } = prepared;
    let session = catalogue::lock_for_seats(tx, request.session_id)
        .await?
        .filter(|s| s.status != SessionStatus::Draft && s.training_status != TrainingStatus::Draft)
        .ok_or(EnrolmentError::SessionNotFound)?;
    if !public_session(session.status, session.training_status) {
        return Err(EnrolmentError::SessionNotOpen);
    }
    if let Some(key) = &request.idempotency_key
        && let Some(earlier) =
            store::by_idempotency_key(tx.conn(), principal.person_id, key).await?
    {
        if earlier.session_id != session.id || earlier.person_id != person_id {
            return Err(EnrolmentError::IdempotencyKeyReused);
        }
        return Ok(Enrolled {
            enrolment: store::enrolment_of(earlier),
            replayed: true,
        });
    }
    check_open(&session, tx.now())?;
    if store::active_of(tx.conn(), session.id, person_id)
        .await?
        .is_some()
    {
        return Err(EnrolmentError::AlreadyEnrolled);
    }
    let waitlist_position = if catalogue::take_seat(tx, session.id).await? {
        None
    } else {
        Some(store::last_position(tx.conn(), session.id).await? + 1)
    };
    let (price_kind, price) = if member {
        (PriceKind::Member, &session.member_price)
    } else {
        (PriceKind::NonMember, &session.non_member_price)
    };
    let row = store::insert(
        tx,
        NewEnrolment {
            session_id: session.id,
            person_id,
            organisation_id,
            waitlist_position,
            price_kind,
            price_cents: price.amount_cents,
            price_currency: price.currency.clone().unwrap_or_else(|| "EUR".into()),
            trainee_type: request.trainee_type,
            funding_source: request.funding_source,
            funding_amount_cents: request.funding_amount_cents,
            needs: request.needs.trim().to_owned(),
            enrolled_by: principal.person_id,
            idempotency_key: request.idempotency_key,
        },
    )
    .await
    .map_err(unique_violation)?;
    Ok(Enrolled {
        enrolment: store::enrolment_of(row),
        replayed: false,
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

/// The database's unique indexes are the last word on a race: one active enrolment per person and
/// session, one enrolment per caller's idempotency key.
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

/// Cancels an enrolment with a reason. A confirmed enrolment's seat goes to the first person
/// waiting, in the same transaction; a waitlisted one leaves the line and those behind move up.
/// Cancelling within `late_delay` of the first half-day is recorded as late.
pub async fn cancel(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    reason: &str,
    late_delay: Duration,
) -> Result<Enrolment> {
    let reason = reason.trim();
    if reason.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("reason", "say why the enrolment is cancelled");
        return Err(EnrolmentError::Invalid(errors));
    }
    // The session first, then the enrolment: the lock order of every enrolment write.
    let session_id = store::by_id(tx.conn(), id)
        .await?
        .filter(|r| policy::may_cancel(principal, &store::enrolment_of(r.clone())))
        .ok_or(EnrolmentError::NotFound)?
        .session_id;
    let session = catalogue::lock_for_seats(tx, session_id)
        .await?
        .ok_or(EnrolmentError::NotFound)?;
    let before = store::lock(tx, id).await?.ok_or(EnrolmentError::NotFound)?;
    let now = tx.now();
    let late = session.starts_at.is_some_and(|s| now + late_delay > s);
    let cancellation = Cancellation {
        at: now,
        by: principal.person_id,
        reason: reason.to_owned(),
        late,
    };
    let after = match before.status {
        EnrolmentStatus::Cancelled => return Err(EnrolmentError::AlreadyCancelled),
        EnrolmentStatus::Confirmed => {
            let after = store::cancel(tx, &before, cancellation).await?;
            catalogue::release_seat(tx, session_id).await?;
            let reason = format!("a seat was freed: enrolment {id} was cancelled");
            fill_free_seats(tx, session_id, principal.person_id, &reason).await?;
            after
        }
        EnrolmentStatus::Waitlisted => {
            let after = store::cancel(tx, &before, cancellation).await?;
            renumber_waitlist(tx, session_id).await?;
            after
        }
    };
    Ok(store::enrolment_of(after))
}

/// Gives every free seat of the session to the people waiting, first in line first, recording
/// who freed it (`by`) and why. Call it in the transaction that freed seats or raised the
/// capacity (after `lock_for_seats`).
pub async fn fill_free_seats(
    tx: &mut WriteTx,
    session_id: Uuid,
    by: Uuid,
    reason: &str,
) -> Result<u32> {
    let mut promoted = 0;
    for waiting in store::waitlist(tx.conn(), session_id).await? {
        if !catalogue::take_seat(tx, session_id).await? {
            break;
        }
        let promotion = Promotion {
            at: tx.now(),
            by,
            reason: reason.to_owned(),
        };
        store::promote(tx, &waiting, promotion).await?;
        promoted += 1;
    }
    if promoted > 0 {
        renumber_waitlist(tx, session_id).await?;
    }
    Ok(promoted)
}

/// Positions 1, 2, 3… in the order people joined the line.
async fn renumber_waitlist(tx: &mut WriteTx, session_id: Uuid) -> Result<()> {
    let now = tx.now();
    for (index, waiting) in store::waitlist(tx.conn(), session_id)
        .await?
        .iter()
        .enumerate()
    {
        let position = i32::try_from(index + 1).unwrap_or(i32::MAX);
        if waiting.waitlist_position != Some(position) {
            store::move_to(tx, waiting, position, now).await?;
        }
    }
    Ok(())
}

/// One enrolment, for whoever may see it.
pub async fn get_enrolment(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Enrolment> {
    let enrolment = store::by_id(db, id)
        .await?
        .map(store::enrolment_of)
        .ok_or(EnrolmentError::NotFound)?;
    let trainers = if principal.has(crate::principal::Role::Trainer) {
        catalogue::trainer_ids_of(db, enrolment.session_id).await?
    } else {
        Vec::new()
    };
    if policy::may_see(principal, &enrolment, &trainers) {
        Ok(enrolment)
    } else {
        Err(EnrolmentError::NotFound)
    }
}

/// The enrolments the caller may see, filtered.
pub async fn list_enrolments(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: EnrolmentFilter,
    page: &PageRequest,
) -> Result<Page<Enrolment>> {
    let filter = policy::list_scope(principal, filter);
    Ok(store::list(db, &filter, page).await?)
}
