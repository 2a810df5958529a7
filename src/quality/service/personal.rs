//! A person's surveys and complaints, for the personal-data export and erasure (GDPR Art. 15,
//! 17, 20). No policy here: the privacy context decides who may ask.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::surveys::{Survey, with_templates};
use super::{AcknowledgeDelay, Result};
use crate::db::write::WriteTx;
use crate::paging::Page;
use crate::quality::model::Complaint;
use crate::quality::store;
use crate::values::{Erasure, Treatment};

/// A person's survey invitations with their answers, and the complaints they filed.
#[derive(Debug, Clone)]
pub struct PersonalQuality {
    pub surveys: Vec<Survey>,
    pub complaints: Vec<Complaint>,
}

pub async fn personal_data(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    delay: AcknowledgeDelay,
    now: DateTime<Utc>,
) -> Result<PersonalQuality> {
    let invitations = store::invitation_rows_of_person(db, person_id)
        .await?
        .into_iter()
        .map(store::invitation_of)
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let surveys = with_templates(
        db,
        Page {
            items: invitations,
            next: None,
        },
    )
    .await?
    .items;
    let complaints = store::complaints_filed_by(db, person_id)
        .await?
        .into_iter()
        .map(|row| store::complaint_of(row, delay.overdue_before(now)))
        .collect();
    Ok(PersonalQuality {
        surveys,
        complaints,
    })
}

/// Submitted surveys stay, anonymous, for the results; unsubmitted ones go. The complaints the
/// person filed stay in the register, with `contact` (their pseudonym) as who filed them.
pub async fn erase_personal_data(
    tx: &mut WriteTx,
    person_id: Uuid,
    contact: &str,
) -> Result<Vec<Erasure>> {
    let (kept, removed) = store::detach_invitations(tx, person_id).await?;
    let complaints = store::detach_complaints(tx.conn(), person_id, contact).await?;
    Ok(vec![
        Erasure::new("survey_answers", Treatment::Pseudonymised, kept),
        Erasure::new("survey_invitation", Treatment::Removed, removed),
        Erasure::new("complaint", Treatment::Pseudonymised, complaints as usize),
    ])
}

/// Removes the complaints closed before `before` (counts them when `dry_run`); open ones stay
/// whatever their age.
pub async fn purge_complaints(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    dry_run: bool,
) -> Result<crate::values::Purged> {
    let count = store::purge_complaints(db, before, dry_run).await?;
    Ok(crate::values::Purged::new("complaint", count))
}
