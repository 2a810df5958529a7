//! Improvement actions (Qualiopi ind. 32): recorded, changed while open, moved along their
//! state machine — each change dated, by whom, in the action's history.
//!
//! *Links:* an action born of a risk or a complaint names it, and it must exist; the other
//! origins' records (survey results, sessions for a trainer's debrief, audits) are stored as
//! given until their registers exist.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{QualityError, Result};
use crate::accounts::service as accounts;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::actions::{
    Action, ActionChange, ActionChanges, ActionFilter, ActionOrigin, ActionRecord, ActionStatus,
    NewAction, StatusMove, is_open, may_move, status_name,
};
use crate::quality::policy;
use crate::quality::store;
use crate::validation::{FieldErrors, required_text};

/// Longest description, effect or reason.
pub const LONG_TEXT: usize = 10_000;

/// Only administrators keep and read the registers (403 for anyone else).
pub(super) fn require_admin(principal: &Principal) -> Result<()> {
    if policy::may_administer(principal) {
        Ok(())
    } else {
        Err(QualityError::Forbidden(
            "only administrators keep and read the quality registers",
        ))
    }
}

/// The calendar day of `now` where the provider works (Paris): what "due" and "review" dates
/// are compared with.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Paris).date_naive()
}

fn long_text(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    required_text(errors, field, value, LONG_TEXT)
}

/// Checks the owner is an active person (422 otherwise).
async fn check_owner(
    db: &impl ConnectionTrait,
    errors: &mut FieldErrors,
    owner: Uuid,
) -> Result<()> {
    match accounts::standings(db, &[owner]).await?.get(&owner) {
        Some(standing) if standing.active => {}
        Some(_) => errors.add("owner_id", format!("{owner} is deactivated")),
        None => errors.add("owner_id", format!("{owner} is not a person")),
    }
    Ok(())
}

/// Checks the originating record when the context holds it: a risk or a complaint must exist.
async fn check_origin(
    db: &impl ConnectionTrait,
    errors: &mut FieldErrors,
    origin: ActionOrigin,
    origin_id: Option<Uuid>,
) -> Result<()> {
    match (origin, origin_id) {
        (ActionOrigin::Risk, Some(id)) if store::risk(db, id).await?.is_none() => {
            errors.add("origin_id", format!("{id} is not a risk of the analysis"));
        }
        (ActionOrigin::Complaint, Some(id)) if store::complaint(db, id).await?.is_none() => {
            errors.add(
                "origin_id",
                format!("{id} is not a complaint of the register"),
            );
        }
        _ => {}
    }
    Ok(())
}

/// Records an improvement action, planned.
pub async fn create_action(
    tx: &mut WriteTx,
    principal: &Principal,
    mut new: NewAction,
) -> Result<ActionRecord> {
    require_admin(principal)?;
    let mut errors = FieldErrors::default();
    new.description = long_text(&mut errors, "description", &new.description);
    check_owner(tx.conn(), &mut errors, new.owner_id).await?;
    check_origin(tx.conn(), &mut errors, new.origin, new.origin_id).await?;
    errors.into_result().map_err(QualityError::Invalid)?;
    let action = store::insert_action(tx, principal.person_id, &new).await?;
    store::add_event(
        tx,
        action.id,
        principal.person_id,
        ActionChange::Created,
        ActionStatus::Planned,
        None,
    )
    .await?;
    record(tx.conn(), action, tx.now()).await
}

/// Changes an open action's description, owner or due date (409 once done or abandoned).
pub async fn update_action(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    mut changes: ActionChanges,
) -> Result<ActionRecord> {
    require_admin(principal)?;
    let mut errors = FieldErrors::default();
    if let Some(d) = &changes.description {
        changes.description = Some(long_text(&mut errors, "description", d));
    }
    if let Some(owner) = changes.owner_id {
        check_owner(tx.conn(), &mut errors, owner).await?;
    }
    errors.into_result().map_err(QualityError::Invalid)?;
    let before = store::lock_action(tx, id)
        .await?
        .ok_or(QualityError::ActionNotFound)?;
    if !is_open(before.status) {
        return Err(QualityError::TransitionNotAllowed(
            "a done or abandoned action is kept as it ended".into(),
        ));
    }
    let status = before.status;
    let action = store::update_action(tx, before, &changes).await?;
    store::add_event(
        tx,
        id,
        principal.person_id,
        ActionChange::Changed,
        status,
        None,
    )
    .await?;
    record(tx.conn(), action, tx.now()).await
}

/// Moves an action along planned → in progress → done (the effect observed required), or
/// abandons an open one (a reason required).
pub async fn move_action(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    to: StatusMove,
) -> Result<ActionRecord> {
    require_admin(principal)?;
    let mut errors = FieldErrors::default();
    let effect = to
        .effect_observed
        .as_deref()
        .map(|e| long_text(&mut errors, "effect_observed", e));
    let reason = to
        .reason
        .as_deref()
        .map(|r| long_text(&mut errors, "reason", r));
    errors.into_result().map_err(QualityError::Invalid)?;
    let before = store::lock_action(tx, id)
        .await?
        .ok_or(QualityError::ActionNotFound)?;
    if !may_move(before.status, to.to) {
        return Err(QualityError::TransitionNotAllowed(format!(
            "an action {} cannot become {} (planned → in_progress → done; an open action may \
             be abandoned)",
            status_name(before.status),
            status_name(to.to)
        )));
    }
    let (effect, reason) = match to.to {
        ActionStatus::Done => (Some(effect.ok_or(QualityError::EffectRequired)?), None),
        ActionStatus::Abandoned => {
            let Some(reason) = reason else {
                let mut errors = FieldErrors::default();
                errors.add("reason", "say why the action is abandoned");
                return Err(QualityError::Invalid(errors));
            };
            (None, Some(reason))
        }
        _ => (None, None),
    };
    let note = effect.clone().or_else(|| reason.clone());
    let action = store::set_status(tx, before, to.to, effect, reason).await?;
    store::add_event(
        tx,
        id,
        principal.person_id,
        ActionChange::to(to.to),
        to.to,
        note,
    )
    .await?;
    record(tx.conn(), action, tx.now()).await
}

/// An action with its history.
pub async fn get_action(
    db: &impl ConnectionTrait,
    principal: &Principal,
    now: DateTime<Utc>,
    id: Uuid,
) -> Result<ActionRecord> {
    require_admin(principal)?;
    let action = store::action(db, id)
        .await?
        .ok_or(QualityError::ActionNotFound)?;
    record(db, action, now).await
}

/// A page of actions in creation order, of one status and overdue or not when asked (overdue:
/// due before today and neither done nor abandoned).
pub async fn list_actions(
    db: &impl ConnectionTrait,
    principal: &Principal,
    now: DateTime<Utc>,
    filter: ActionFilter,
    page: &PageRequest,
) -> Result<Page<Action>> {
    require_admin(principal)?;
    let today = today(now);
    let rows: Vec<Action> = store::actions(db, filter.status)
        .await?
        .into_iter()
        .filter(|a| filter.overdue.is_none_or(|o| a.is_overdue(today) == o))
        .filter(|a| page.after.is_none_or(|after| a.id > after))
        .take(usize::try_from(page.fetch()).unwrap_or(usize::MAX))
        .collect();
    Ok(page.finish(rows, |a| a.id))
}

/// Whether an improvement action exists (the watch register links to one).
pub(super) async fn action_exists(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    Ok(store::action(db, id).await?.is_some())
}

async fn record(
    db: &impl ConnectionTrait,
    action: Action,
    now: DateTime<Utc>,
) -> Result<ActionRecord> {
    let history = store::history(db, action.id).await?;
    let overdue = action.is_overdue(today(now));
    Ok(ActionRecord {
        action,
        history,
        overdue,
    })
}
