//! A person's records in enrolment, for the personal-data export and erasure (GDPR Art. 15,
//! 17, 20). No policy here: the privacy context decides who may ask.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Result;
use crate::db::write::WriteTx;
use crate::enrolment::model::{Accommodation, Enrolment, Positioning};
use crate::enrolment::store;
use crate::values::{Erasure, Treatment};

/// Everything enrolment holds about a person.
#[derive(Debug, Clone)]
pub struct PersonalEnrolments {
    /// Every enrolment, cancelled ones included, oldest first.
    pub enrolments: Vec<Enrolment>,
    pub positioning: Vec<Positioning>,
    pub accommodations: Vec<Accommodation>,
}

pub async fn personal_data(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<PersonalEnrolments> {
    let rows = store::of_person(db, person_id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    Ok(PersonalEnrolments {
        positioning: store::answers_of_enrolments(db, &ids).await?,
        accommodations: store::accommodations_of_enrolments(db, &ids).await?,
        enrolments: rows.into_iter().map(store::enrolment_of).collect(),
    })
}

/// Keeps the enrolments (the BPF and the evidence count them) with what the person wrote
/// emptied, and removes their positioning answers and accommodation requests.
pub async fn erase_personal_data(tx: &mut WriteTx, person_id: Uuid) -> Result<Vec<Erasure>> {
    let rows = store::of_person(tx.conn(), person_id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    for row in &rows {
        store::blank_personal_text(tx, row).await?;
    }
    let answers = store::delete_answers(tx.conn(), &ids).await?;
    let accommodations = store::delete_accommodations(tx.conn(), &ids).await?;
    Ok(vec![
        Erasure::new("enrolment", Treatment::Pseudonymised, rows.len()),
        Erasure::new("positioning_answer", Treatment::Removed, answers as usize),
        Erasure::new(
            "accommodation_request",
            Treatment::Removed,
            accommodations as usize,
        ),
    ])
}
