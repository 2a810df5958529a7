//! Convocations (Qualiopi ind. 9): an administrator issues one per confirmed trainee — place,
//! half-days in local time, contacts, the disability referent, access and the rules — and the
//! moment it was issued is recorded; issuing again replaces it and records the new moment. The
//! PDF comes with the documents.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{EnrolmentError, Result};
use crate::catalogue::model::Contact;
use crate::catalogue::service as catalogue;
use crate::enrolment::model::{
    Convocation, ConvocationContact, ConvocationContent, ConvocationHalfDay, ConvocationPlace,
    EnrolmentStatus,
};
use crate::enrolment::{policy, store};
use crate::principal::Principal;

fn contact(c: &Contact) -> ConvocationContact {
    ConvocationContact {
        name: c.name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
    }
}

/// Issues (or issues again) the convocation of a confirmed enrolment.
pub async fn issue_convocation(
    tx: &mut crate::db::write::WriteTx,
    principal: &Principal,
    enrolment_id: Uuid,
    rules_url: Option<String>,
) -> Result<Convocation> {
    if !principal.is_admin() {
        return Err(EnrolmentError::Forbidden(
            "only administrators issue convocations",
        ));
    }
    let enrolment = store::by_id(tx.conn(), enrolment_id)
        .await?
        .map(store::enrolment_of)
        .ok_or(EnrolmentError::NotFound)?;
    if enrolment.status != EnrolmentStatus::Confirmed {
        return Err(EnrolmentError::NotConfirmed);
    }
    let session = catalogue::session_details(tx.conn(), enrolment.session_id)
        .await?
        .ok_or(EnrolmentError::SessionNotFound)?;
    let programme = &session.training.programme;
    let room = &session.room;
    let content = ConvocationContent {
        schema: 1,
        training_title: programme.title.clone(),
        time_zone: session.time_zone.clone(),
        place: ConvocationPlace {
            online: room.is_online,
            name: room.name.clone(),
            address: room.address.clone(),
            city: room.city.clone(),
            country: room.country.clone(),
            join_url: room.join_url.clone(),
        },
        half_days: session
            .slots
            .iter()
            .map(|s| ConvocationHalfDay {
                date: s.date,
                start: s.local_start.clone(),
                end: s.local_end.clone(),
                starts_at: s.starts_at,
                ends_at: s.ends_at,
            })
            .collect(),
        contact: contact(&programme.contact),
        disability_referent: contact(&programme.disability_referent),
        access: format!(
            "Place: {}. Training: {}",
            room.accessibility, programme.accessibility
        ),
        rules_url,
    };
    let convocation = Convocation {
        enrolment_id,
        content,
        issued_by: principal.person_id,
        issued_at: tx.now(),
    };
    store::save_convocation(tx.conn(), &convocation).await?;
    tx.emit([crate::db::outbox::Event::ConvocationIssued(enrolment_id)])
        .await?;
    Ok(convocation)
}

/// The convocation of an enrolment, for whoever may see the enrolment.
pub async fn convocation(
    db: &impl ConnectionTrait,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<Convocation> {
    let enrolment = store::by_id(db, enrolment_id)
        .await?
        .map(store::enrolment_of)
        .ok_or(EnrolmentError::NotFound)?;
    let trainers = catalogue::trainer_ids_of(db, enrolment.session_id).await?;
    if !policy::may_see(principal, &enrolment, &trainers) {
        return Err(EnrolmentError::NotFound);
    }
    store::convocation(db, enrolment_id)
        .await?
        .ok_or(EnrolmentError::ConvocationNotFound)
}

/// The convocations issued for these enrolments (for other contexts' checks: attendance compares
/// the title each one printed with the training's).
pub async fn convocations_of(
    db: &impl ConnectionTrait,
    enrolment_ids: &[Uuid],
) -> Result<Vec<Convocation>> {
    Ok(store::convocations(db, enrolment_ids).await?)
}
