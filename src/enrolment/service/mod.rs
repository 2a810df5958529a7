//! The rules of enrolment: who gets a seat, who waits and in which order, what they pay, and what
//! a cancellation does. Who may do what is in [`super::policy`]. Writes take the caller's
//! [`WriteTx`]; each first locks the session (`catalogue::service::lock_for_seats`), so one
//! session's enrolments, cancellations and promotions happen one after the other on both engines
//! and seats can neither be given twice nor left free while someone waits.

use chrono::Duration;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::model::{Cancellation, Enrolment, EnrolmentFilter, EnrolmentStatus, Promotion};
use super::policy;
use super::store;
use crate::catalogue::service as catalogue;
use crate::db::outbox::Event;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::FieldErrors;

mod accommodations;
mod completion;
mod convocations;
mod enrol;
mod errors;
mod exports;
mod personal;
mod positioning;

pub use accommodations::*;
pub use completion::*;
pub use convocations::*;
pub use enrol::*;
pub use errors::EnrolmentError;
pub use exports::enrolments_table;
pub use personal::*;
pub use positioning::*;

pub type Result<T> = std::result::Result<T, EnrolmentError>;

/// Needs and expectations: at most this many characters.
pub const MAX_NEEDS_CHARS: usize = 4000;

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
        EnrolmentStatus::Completed => return Err(EnrolmentError::AlreadyCompleted),
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
    tx.emit([Event::EnrolmentCancelled(id)]).await?;
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
) -> std::result::Result<u32, DbErr> {
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
        tx.emit([Event::EnrolmentPromoted(waiting.id)]).await?;
        promoted += 1;
    }
    if promoted > 0 {
        renumber_waitlist(tx, session_id).await?;
    }
    Ok(promoted)
}

/// Positions 1, 2, 3… in the order people joined the line.
async fn renumber_waitlist(tx: &mut WriteTx, session_id: Uuid) -> std::result::Result<(), DbErr> {
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

/// The enrolment context's answer to a session that gained seats: the waitlist gets them
/// ([`fill_free_seats`]). The assembly hands it to the catalogue, which never imports enrolment.
pub struct WaitlistPromotion;

impl catalogue::SeatsAdded for WaitlistPromotion {
    fn seats_added<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        session_id: Uuid,
        by: Uuid,
        reason: &'a str,
    ) -> catalogue::SeatsFuture<'a> {
        Box::pin(fill_free_seats(tx, session_id, by, reason))
    }
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

/// Every enrolment of a person, whatever its status (for their personal calendar: cancelled
/// ones leave it, and their cancellation dates its last change).
pub async fn enrolments_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<Enrolment>> {
    Ok(store::of_person(db, person_id)
        .await?
        .into_iter()
        .map(store::enrolment_of)
        .collect())
}
