//! The complaints register (Qualiopi ind. 31): anyone files one (with or without an account);
//! administrators acknowledge, answer and close it, in that order, each step dated and by whom;
//! those not acknowledged within the delay are overdue.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{QualityError, Result};
use crate::db::outbox::Event;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::{
    Complaint, ComplaintFilter, ComplaintStatus, MAX_COMPLAINT_TEXT_CHARS, MAX_CONTACT_CHARS,
    NewComplaint,
};
use crate::quality::{policy, store};
use crate::validation::{FieldErrors, required_text};

/// When complaints become overdue: received at or before `now - delay` and not acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcknowledgeDelay(pub Duration);

impl AcknowledgeDelay {
    pub fn days(days: u32) -> Self {
        Self(Duration::days(i64::from(days)))
    }

    pub(super) fn overdue_before(self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.0
    }
}

/// Admits one public submission (a complaint or a report) from a client address: `admit`
/// counts it against the server's limiter, or answers `Err(retry_after_secs)` when the address
/// has used up its submissions. Administrators are not limited.
pub fn admit_submission(
    principal: Option<&Principal>,
    admit: impl FnOnce() -> std::result::Result<(), u64>,
) -> Result<()> {
    if policy::submissions_limited(principal) {
        admit().map_err(|retry_after_secs| QualityError::RateLimited { retry_after_secs })?;
    }
    Ok(())
}

/// Trims and checks a complaint's fields and that what it concerns exists (422 naming each
/// field otherwise).
async fn checked(db: &impl ConnectionTrait, new: NewComplaint) -> Result<NewComplaint> {
    let mut errors = FieldErrors::default();
    let contact = required_text(&mut errors, "contact", &new.contact, MAX_CONTACT_CHARS);
    let text = required_text(&mut errors, "text", &new.text, MAX_COMPLAINT_TEXT_CHARS);
    if let Some(id) = new.session_id
        && crate::catalogue::service::training_of_session(db, id)
            .await
            .map_err(QualityError::from)?
            .is_none()
    {
        errors.add("session_id", format!("{id} is not a session"));
    }
    if let Some(id) = new.training_id
        && !crate::catalogue::service::training_exists(db, id)
            .await
            .map_err(QualityError::from)?
    {
        errors.add("training_id", format!("{id} is not a training"));
    }
    if let Some(id) = new.club_id
        && !crate::clubs::service::club_exists(db, id)
            .await
            .map_err(QualityError::from)?
    {
        errors.add("club_id", format!("{id} is not a club"));
    }
    errors.into_result().map_err(QualityError::Invalid)?;
    Ok(NewComplaint {
        contact,
        text,
        ..new
    })
}

/// Records a complaint as received now, filed by `principal` when they have an account.
pub async fn submit_complaint(
    tx: &mut WriteTx,
    principal: Option<&Principal>,
    new: NewComplaint,
    delay: AcknowledgeDelay,
) -> Result<Complaint> {
    let new = checked(tx.conn(), new).await?;
    let row = store::insert_complaint(tx, new, principal.map(|p| p.person_id)).await?;
    Ok(store::complaint_of(row, delay.overdue_before(tx.now())))
}

/// One complaint, for administrators and the person who filed it (404 for anyone else).
pub async fn get_complaint(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
    delay: AcknowledgeDelay,
) -> Result<Complaint> {
    store::complaint(db, id)
        .await?
        .filter(|row| policy::may_see_complaint(principal, row.filed_by))
        .map(|row| store::complaint_of(row, delay.overdue_before(now)))
        .ok_or(QualityError::ComplaintNotFound)
}

/// A page of the complaints the caller may see, in order of receipt.
pub async fn list_complaints(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: ComplaintFilter,
    page: &PageRequest,
    now: DateTime<Utc>,
    delay: AcknowledgeDelay,
) -> Result<Page<Complaint>> {
    let overdue_before = delay.overdue_before(now);
    let rows = store::complaints(
        db,
        policy::complaints_scope(principal),
        filter,
        overdue_before,
        page,
    )
    .await?;
    Ok(rows.map(|row| store::complaint_of(row, overdue_before)))
}

/// The state a complaint must stand at before `to`, and the refusal when it stands elsewhere.
fn precondition(to: ComplaintStatus, current: ComplaintStatus) -> Result<ComplaintStatus> {
    use ComplaintStatus::*;
    let from = match to {
        Received => return Err(QualityError::ComplaintStepDone),
        Acknowledged => Received,
        Answered => Acknowledged,
        Closed => Answered,
    };
    if current == from {
        Ok(from)
    } else if current > from {
        Err(QualityError::ComplaintStepDone)
    } else if current == Received {
        Err(QualityError::ComplaintNotAcknowledged)
    } else {
        Err(QualityError::ComplaintNotAnswered)
    }
}

/// Records the next step of a complaint (administrators): acknowledged, answered (with the
/// answer) or closed (with the outcome). A step out of order is a 409 naming what is missing.
pub async fn advance_complaint(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    to: ComplaintStatus,
    text: Option<String>,
    delay: AcknowledgeDelay,
) -> Result<Complaint> {
    if !policy::may_administer(principal) {
        return Err(QualityError::Forbidden(
            "only administrators acknowledge, answer and close complaints",
        ));
    }
    let text = match (to, text) {
        (ComplaintStatus::Answered | ComplaintStatus::Closed, Some(text)) => {
            let field = if to == ComplaintStatus::Answered {
                "answer"
            } else {
                "outcome"
            };
            let mut errors = FieldErrors::default();
            let text = required_text(&mut errors, field, &text, MAX_COMPLAINT_TEXT_CHARS);
            errors.into_result().map_err(QualityError::Invalid)?;
            Some(text)
        }
        _ => None,
    };
    let current = store::complaint(tx.conn(), id)
        .await?
        .ok_or(QualityError::ComplaintNotFound)?;
    let from = precondition(to, current.status)?;
    let row = store::advance_complaint(tx, id, from, to, principal.person_id, text)
        .await?
        .ok_or(QualityError::ComplaintStepDone)?;
    let told = match to {
        ComplaintStatus::Acknowledged => Some(Event::ComplaintAcknowledged(id)),
        ComplaintStatus::Answered => Some(Event::ComplaintAnswered(id)),
        _ => None,
    };
    tx.emit(told).await?;
    Ok(store::complaint_of(row, delay.overdue_before(tx.now())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_needs_the_one_before_it() {
        use ComplaintStatus::*;
        assert!(precondition(Acknowledged, Received).is_ok());
        assert!(matches!(
            precondition(Answered, Received),
            Err(QualityError::ComplaintNotAcknowledged)
        ));
        assert!(matches!(
            precondition(Closed, Received),
            Err(QualityError::ComplaintNotAcknowledged)
        ));
        assert!(matches!(
            precondition(Closed, Acknowledged),
            Err(QualityError::ComplaintNotAnswered)
        ));
        assert!(matches!(
            precondition(Acknowledged, Closed),
            Err(QualityError::ComplaintStepDone)
        ));
        assert!(precondition(Closed, Answered).is_ok());
    }
}
