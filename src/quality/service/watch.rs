//! The watch register (Qualiopi ind. 23–25): what was learnt of the regulations, the trades
//! and pedagogy, from where, when, its impact and what was done — linked, when it led to one,
//! to an improvement action.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::actions::{LONG_TEXT, action_exists, require_admin, today};
use super::{QualityError, Result};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::watch::{WatchEntry, WatchFilter, WatchInput};
use crate::quality::store;
use crate::validation::{FieldErrors, required_text};

/// Longest source.
pub const SOURCE_MAX: usize = 500;

/// Checks the fields given; `creating` requires kind, source, summary and impact.
async fn check(db: &impl ConnectionTrait, input: &mut WatchInput, creating: bool) -> Result<()> {
    let mut errors = FieldErrors::default();
    if creating && input.kind.is_none() {
        errors.add("kind", "required");
    }
    for (field, value, max, required) in [
        ("source", &mut input.source, SOURCE_MAX, true),
        ("summary", &mut input.summary, LONG_TEXT, true),
        ("impact", &mut input.impact, LONG_TEXT, true),
        ("action_taken", &mut input.action_taken, LONG_TEXT, false),
    ] {
        match value.as_deref() {
            Some(v) if required => *value = Some(required_text(&mut errors, field, v, max)),
            Some(v) => {
                let v = v.trim().to_owned();
                if v.chars().count() > max {
                    errors.add(field, format!("must be at most {max} characters"));
                }
                *value = Some(v);
            }
            None if creating && required => errors.add(field, "required"),
            None => {}
        }
    }
    if let Some(id) = input.action_id
        && !action_exists(db, id).await?
    {
        errors.add("action_id", format!("{id} is not an improvement action"));
    }
    errors.into_result().map_err(QualityError::Invalid)
}

/// Records a watch entry (observed today unless dated).
pub async fn create_watch_entry(
    tx: &mut WriteTx,
    principal: &Principal,
    mut input: WatchInput,
) -> Result<WatchEntry> {
    require_admin(principal)?;
    check(tx.conn(), &mut input, true).await?;
    if input.observed_on.is_none() {
        input.observed_on = Some(today(tx.now()));
    }
    Ok(store::insert_entry(tx, principal.person_id, &input).await?)
}

/// Changes a watch entry (linking it to an improvement action, say).
pub async fn update_watch_entry(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    mut input: WatchInput,
) -> Result<WatchEntry> {
    require_admin(principal)?;
    check(tx.conn(), &mut input, false).await?;
    let before = store::lock_entry(tx, id)
        .await?
        .ok_or(QualityError::WatchEntryNotFound)?;
    Ok(store::update_entry(tx, before, &input).await?)
}

/// Deletes a watch entry recorded by mistake.
pub async fn delete_watch_entry(tx: &mut WriteTx, principal: &Principal, id: Uuid) -> Result<()> {
    require_admin(principal)?;
    store::lock_entry(tx, id)
        .await?
        .ok_or(QualityError::WatchEntryNotFound)?;
    Ok(store::delete_entry(tx, id).await?)
}

pub async fn get_watch_entry(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<WatchEntry> {
    require_admin(principal)?;
    store::entry(db, id)
        .await?
        .ok_or(QualityError::WatchEntryNotFound)
}

/// A page of entries in creation order, of one kind and observed within a period when asked.
pub async fn list_watch_entries(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: WatchFilter,
    page: &PageRequest,
) -> Result<Page<WatchEntry>> {
    require_admin(principal)?;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        let mut errors = FieldErrors::default();
        errors.add("to", "must not be before `from`");
        return Err(QualityError::Invalid(errors));
    }
    Ok(store::entries(db, &filter, page).await?)
}
