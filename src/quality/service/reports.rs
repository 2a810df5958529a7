//! The confidential reports channel (V10 ind. 12). Anyone submits a report and receives a
//! receipt code, shown once (only its SHA-256 is stored, and the reporter is not recorded);
//! with it the reporter reads where the report stands. Referents and administrators read the
//! reports and record their steps in order: received → acknowledged → in progress → closed.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::secrets::{MAX_CODE_CHARS, code_hash, fresh_code};
use super::{QualityError, Result};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::{
    MAX_REPORT_CONTACT_CHARS, MAX_REPORT_TEXT_CHARS, NewReport, Receipt, Report, ReportProgress,
    ReportStep,
};
use crate::quality::{policy, store};
use crate::validation::{FieldErrors, required_text};

/// Prefix of receipt codes (recognisable if one leaks into a log or a ticket).
const RECEIPT_PREFIX: &str = "rcp_";
/// A fresh receipt code.
fn receipt_code() -> String {
    fresh_code(RECEIPT_PREFIX)
}

/// The stored form of a receipt code.
fn receipt_hash(code: &str) -> String {
    code_hash(code)
}

fn require_reader(principal: &Principal) -> Result<()> {
    // Anyone else is told the report does not exist (nor any other).
    if policy::may_read_reports(principal) {
        Ok(())
    } else {
        Err(QualityError::ReportNotFound)
    }
}

/// Records a report as received now and answers its receipt code (the only time it is shown).
pub async fn submit_report(tx: &mut WriteTx, new: NewReport) -> Result<Receipt> {
    let mut errors = FieldErrors::default();
    let text = required_text(&mut errors, "text", &new.text, MAX_REPORT_TEXT_CHARS);
    let contact = new
        .contact
        .as_deref()
        .map(|c| required_text(&mut errors, "contact", c, MAX_REPORT_CONTACT_CHARS));
    errors.into_result().map_err(QualityError::Invalid)?;
    let code = receipt_code();
    let row = store::insert_report(
        tx,
        NewReport {
            category: new.category,
            text,
            contact,
        },
        receipt_hash(&code),
    )
    .await?;
    Ok(Receipt {
        code,
        received_at: row.received_at,
    })
}

/// Where the report of this receipt code stands (anyone holding the code; 404 for any other).
pub async fn report_progress(db: &impl ConnectionTrait, code: &str) -> Result<ReportProgress> {
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(QualityError::ReportNotFound);
    }
    let row = store::report_by_receipt(db, &receipt_hash(code))
        .await?
        .ok_or(QualityError::ReportNotFound)?;
    let steps = store::steps_of(db, row.id).await?;
    Ok(ReportProgress {
        category: row.category,
        status: row.status,
        received_at: row.received_at,
        steps: steps.into_iter().map(|s| (s.step, s.recorded_at)).collect(),
    })
}

/// One report, with its steps (referents and administrators; 404 for anyone else).
pub async fn get_report(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Report> {
    require_reader(principal)?;
    let row = store::report(db, id)
        .await?
        .ok_or(QualityError::ReportNotFound)?;
    let steps = store::steps_of(db, id).await?;
    Ok(store::report_of(row, steps))
}

/// A page of reports, in order of receipt (referents and administrators; an empty page for
/// anyone else, agreeing with [`get_report`]).
pub async fn list_reports(
    db: &impl ConnectionTrait,
    principal: &Principal,
    status: Option<ReportStep>,
    page: &PageRequest,
) -> Result<Page<Report>> {
    if !policy::may_read_reports(principal) {
        return Ok(Page::empty());
    }
    let rows = store::reports(db, status, page).await?;
    let ids: Vec<Uuid> = rows.items.iter().map(|row| row.id).collect();
    let mut steps = store::steps_by_report(db, &ids).await?;
    Ok(rows.map(|row| {
        let own = steps.remove(&row.id).unwrap_or_default();
        store::report_of(row, own)
    }))
}

/// The step that follows `current`, if any.
fn next_step(current: ReportStep) -> Option<ReportStep> {
    match current {
        ReportStep::Received => Some(ReportStep::Acknowledged),
        ReportStep::Acknowledged => Some(ReportStep::InProgress),
        ReportStep::InProgress => Some(ReportStep::Closed),
        ReportStep::Closed => None,
    }
}

/// Records the next step of a report with its note (referents and administrators). Steps
/// follow one another; any other is a 409.
pub async fn record_report_step(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    step: ReportStep,
    note: String,
) -> Result<Report> {
    require_reader(principal)?;
    let mut errors = FieldErrors::default();
    let note = required_text(&mut errors, "note", &note, MAX_REPORT_TEXT_CHARS);
    errors.into_result().map_err(QualityError::Invalid)?;
    let current = store::report(tx.conn(), id)
        .await?
        .ok_or(QualityError::ReportNotFound)?;
    if next_step(current.status) != Some(step) {
        return Err(QualityError::ReportStepOutOfOrder);
    }
    store::advance_report(
        tx,
        id,
        current.status,
        step,
        Some(note),
        principal.person_id,
    )
    .await?
    .ok_or(QualityError::ReportStepOutOfOrder)?;
    get_report(tx.conn(), principal, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_codes_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (receipt_code(), receipt_code());
        assert_ne!(a, b);
        assert!(a.starts_with(RECEIPT_PREFIX) && a.len() == RECEIPT_PREFIX.len() + 27);
        assert_eq!(receipt_hash(&a).len(), 64);
        assert_ne!(receipt_hash(&a), receipt_hash(&b));
    }

    #[test]
    fn steps_follow_one_another() {
        assert_eq!(
            next_step(ReportStep::Received),
            Some(ReportStep::Acknowledged)
        );
        assert_eq!(next_step(ReportStep::InProgress), Some(ReportStep::Closed));
        assert_eq!(next_step(ReportStep::Closed), None);
    }
}
