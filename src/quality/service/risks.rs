//! The risk analysis on training quality (Qualiopi V10 ind. 32): dated entries scored by
//! likelihood and impact (criticality = their product), with their mitigation, their review
//! date and the improvement actions born of them.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::actions::{LONG_TEXT, require_admin, today};
use super::{QualityError, Result};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::actions::ActionOrigin;
use crate::quality::model::risks::{Risk, RiskFilter, RiskInput, RiskOrder, RiskRecord};
use crate::quality::store;
use crate::validation::{FieldErrors, required_text};

/// Checks the fields given; `creating` requires description, likelihood, impact, mitigation
/// and review date.
fn check(input: &mut RiskInput, creating: bool) -> Result<()> {
    let mut errors = FieldErrors::default();
    for (field, value) in [
        ("description", &mut input.description),
        ("mitigation", &mut input.mitigation),
    ] {
        if let Some(v) = value.as_deref() {
            *value = Some(required_text(&mut errors, field, v, LONG_TEXT));
        } else if creating {
            errors.add(field, "required");
        }
    }
    for (field, value) in [("likelihood", input.likelihood), ("impact", input.impact)] {
        match value {
            Some(v) if !(1..=4).contains(&v) => errors.add(field, "must be from 1 to 4"),
            None if creating => errors.add(field, "required"),
            _ => {}
        }
    }
    if creating && input.review_on.is_none() {
        errors.add("review_on", "required");
    }
    errors.into_result().map_err(QualityError::Invalid)
}

/// Records a risk (its date of analysis is today unless given).
pub async fn create_risk(
    tx: &mut WriteTx,
    principal: &Principal,
    mut input: RiskInput,
) -> Result<RiskRecord> {
    require_admin(principal)?;
    check(&mut input, true)?;
    if input.assessed_on.is_none() {
        input.assessed_on = Some(today(tx.now()));
    }
    let risk = store::insert_risk(tx, principal.person_id, &input).await?;
    record(tx.conn(), risk, tx.now()).await
}

/// Changes a risk (a new assessment, a new review date…).
pub async fn update_risk(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    mut input: RiskInput,
) -> Result<RiskRecord> {
    require_admin(principal)?;
    check(&mut input, false)?;
    let before = store::lock_risk(tx, id)
        .await?
        .ok_or(QualityError::RiskNotFound)?;
    let risk = store::update_risk(tx, before, &input).await?;
    record(tx.conn(), risk, tx.now()).await
}

/// A risk with the actions born of it.
pub async fn get_risk(
    db: &impl ConnectionTrait,
    principal: &Principal,
    now: DateTime<Utc>,
    id: Uuid,
) -> Result<RiskRecord> {
    require_admin(principal)?;
    let risk = store::risk(db, id)
        .await?
        .ok_or(QualityError::RiskNotFound)?;
    record(db, risk, now).await
}

/// A page of risks, filtered by their review date and in the order asked. The cursor is the
/// last risk seen: the next page starts after its place in that order.
pub async fn list_risks(
    db: &impl ConnectionTrait,
    principal: &Principal,
    now: DateTime<Utc>,
    filter: RiskFilter,
    page: &PageRequest,
) -> Result<Page<(Risk, bool)>> {
    require_admin(principal)?;
    let today = today(now);
    let mut rows: Vec<Risk> = store::risks(db)
        .await?
        .into_iter()
        .filter(|r| {
            filter
                .review_due
                .is_none_or(|due| r.review_due(today) == due)
        })
        .filter(|r| filter.review_by.is_none_or(|by| r.review_on <= by))
        .collect();
    match filter.order {
        RiskOrder::Created => {}
        RiskOrder::ReviewOn => rows.sort_by_key(|r| (r.review_on, r.id)),
        RiskOrder::Criticality => {
            rows.sort_by_key(|r| (std::cmp::Reverse(r.criticality()), r.id));
        }
    }
    let start = match page.after {
        None => 0,
        Some(after) => match rows.iter().position(|r| r.id == after) {
            Some(at) => at + 1,
            // A cursor of a risk no longer listed: creation order still knows where it was.
            None if filter.order == RiskOrder::Created => {
                rows.iter().position(|r| r.id > after).unwrap_or(rows.len())
            }
            None => rows.len(),
        },
    };
    let rows: Vec<(Risk, bool)> = rows
        .into_iter()
        .skip(start)
        .take(usize::try_from(page.fetch()).unwrap_or(usize::MAX))
        .map(|r| {
            let due = r.review_due(today);
            (r, due)
        })
        .collect();
    Ok(page.finish(rows, |(r, _)| r.id))
}

async fn record(db: &impl ConnectionTrait, risk: Risk, now: DateTime<Utc>) -> Result<RiskRecord> {
    let actions = store::actions_from(db, ActionOrigin::Risk, risk.id).await?;
    let review_due = risk.review_due(today(now));
    Ok(RiskRecord {
        risk,
        actions,
        review_due,
    })
}
