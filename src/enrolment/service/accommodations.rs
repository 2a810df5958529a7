//! Accommodation requests (Qualiopi ind. 26): a trainee, their org manager or an administrator
//! asks; the training's disability referent (the account whose e-mail is the referent's in the
//! programme) or an administrator records how it was handled, with the date. Seen only by the
//! trainee, the requester, the referent and administrators.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{EnrolmentError, Result};
use crate::accounts::service as accounts;
use crate::catalogue::service as catalogue;
use crate::enrolment::model::{Accommodation, Enrolment, Handling};
use crate::enrolment::{policy, store};
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// A request or a response: at most this many characters.
pub const MAX_ACCOMMODATION_CHARS: usize = 4000;

fn text(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    let mut errors = FieldErrors::default();
    if value.is_empty() {
        errors.add(field, "must not be empty");
    } else if value.chars().count() > MAX_ACCOMMODATION_CHARS {
        errors.add(
            field,
            format!("at most {MAX_ACCOMMODATION_CHARS} characters"),
        );
    }
    errors.into_result().map_err(EnrolmentError::Invalid)?;
    Ok(value.to_owned())
}

async fn enrolment(db: &impl ConnectionTrait, id: Uuid) -> Result<Enrolment> {
    store::by_id(db, id)
        .await?
        .map(store::enrolment_of)
        .ok_or(EnrolmentError::NotFound)
}

/// Whether the caller is the disability referent of the enrolment's training.
async fn is_referent(
    db: &impl ConnectionTrait,
    principal: &Principal,
    enrolment: &Enrolment,
) -> Result<bool> {
    let Some(referent) = catalogue::disability_referent_of(db, enrolment.session_id).await? else {
        return Ok(false);
    };
    let me = accounts::person_and_membership(db, principal.person_id).await?;
    Ok(me.is_some_and(|(person, _)| {
        crate::values::normalize_email(&person.email) == crate::values::normalize_email(&referent)
    }))
}

/// Asks for an accommodation for the enrolment's trainee.
pub async fn request_accommodation(
    tx: &mut crate::db::write::WriteTx,
    principal: &Principal,
    enrolment_id: Uuid,
    need: &str,
) -> Result<Accommodation> {
    let need = text("need", need)?;
    let enrolment = enrolment(tx.conn(), enrolment_id).await?;
    if !policy::may_cancel(principal, &enrolment) {
        return Err(EnrolmentError::NotFound);
    }
    let at = tx.now();
    Ok(store::insert_accommodation(tx.conn(), enrolment.id, need, principal.person_id, at).await?)
}

/// The enrolment's requests the caller may see: all of them for the trainee, the referent and
/// administrators; their own for an org manager who asked; 404 for anyone else.
pub async fn accommodations(
    db: &impl ConnectionTrait,
    principal: &Principal,
    enrolment_id: Uuid,
    page: &PageRequest,
) -> Result<Page<Accommodation>> {
    let enrolment = enrolment(db, enrolment_id).await?;
    let referent = is_referent(db, principal, &enrolment).await?;
    let sees_all = principal.person_id == enrolment.person_id || referent || principal.is_admin();
    if !sees_all && !policy::may_cancel(principal, &enrolment) {
        return Err(EnrolmentError::NotFound);
    }
    let mut found = store::accommodations_of(db, enrolment.id, page).await?;
    found.items.retain(|a| {
        policy::may_see_accommodation(principal, enrolment.person_id, a.requested_by, referent)
    });
    Ok(found)
}

/// Records how a request was handled (again, to correct it).
pub async fn handle_accommodation(
    tx: &mut crate::db::write::WriteTx,
    principal: &Principal,
    id: Uuid,
    response: &str,
) -> Result<Accommodation> {
    let response = text("response", response)?;
    let request = store::accommodation(tx.conn(), id)
        .await?
        .ok_or(EnrolmentError::AccommodationNotFound)?;
    let enrolment = enrolment(tx.conn(), request.enrolment_id).await?;
    let referent = is_referent(tx.conn(), principal, &enrolment).await?;
    if !policy::may_see_accommodation(
        principal,
        enrolment.person_id,
        request.requested_by,
        referent,
    ) {
        return Err(EnrolmentError::AccommodationNotFound);
    }
    if !policy::may_handle_accommodation(principal, referent) {
        return Err(EnrolmentError::Forbidden(
            "only the disability referent or an administrator records the handling",
        ));
    }
    let handling = Handling {
        response,
        by: principal.person_id,
        at: tx.now(),
    };
    store::record_handling(tx.conn(), id, handling)
        .await?
        .ok_or(EnrolmentError::AccommodationNotFound)
}
