//! Improvement actions and their history (not synced: written through the transaction's
//! connection).

use entity::{improvement_action as action, improvement_action_event as event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::write::WriteTx;
use crate::quality::model::actions::{
    Action, ActionChange, ActionChanges, ActionEvent, ActionOrigin, ActionStatus, NewAction,
};

pub type ActionRow = action::Model;

pub fn action_of(row: ActionRow) -> Action {
    Action {
        id: row.id,
        description: row.description,
        origin: row.origin,
        origin_id: row.origin_id,
        owner_id: row.owner_id,
        due_on: row.due_on,
        status: row.status,
        effect_observed: row.effect_observed,
        abandon_reason: row.abandon_reason,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn action(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Action>, DbErr> {
    Ok(action::Entity::find_by_id(id).one(db).await?.map(action_of))
}

/// Reads an action and locks it until commit (its status moves one change at a time).
pub async fn lock_action(tx: &WriteTx, id: Uuid) -> Result<Option<ActionRow>, DbErr> {
    action::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx.conn())
        .await
}

/// Every action, in creation order, optionally of one status (a register holds tens to a few
/// hundred).
pub async fn actions(
    db: &impl ConnectionTrait,
    status: Option<ActionStatus>,
) -> Result<Vec<Action>, DbErr> {
    let mut select = action::Entity::find().order_by_asc(action::Column::Id);
    if let Some(status) = status {
        select = select.filter(action::Column::Status.eq(status));
    }
    Ok(select.all(db).await?.into_iter().map(action_of).collect())
}

/// The actions born of one originating record, in creation order.
pub async fn actions_from(
    db: &impl ConnectionTrait,
    origin: ActionOrigin,
    origin_id: Uuid,
) -> Result<Vec<Action>, DbErr> {
    Ok(action::Entity::find()
        .filter(action::Column::Origin.eq(origin))
        .filter(action::Column::OriginId.eq(origin_id))
        .order_by_asc(action::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(action_of)
        .collect())
}

pub async fn insert_action(tx: &WriteTx, by: Uuid, new: &NewAction) -> Result<Action, DbErr> {
    let now = tx.now();
    let row = action::ActiveModel {
        id: Set(Uuid::now_v7()),
        description: Set(new.description.clone()),
        origin: Set(new.origin),
        origin_id: Set(new.origin_id),
        owner_id: Set(new.owner_id),
        due_on: Set(new.due_on),
        status: Set(ActionStatus::Planned),
        effect_observed: Set(None),
        abandon_reason: Set(None),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(action_of(row.insert(tx.conn()).await?))
}

pub async fn update_action(
    tx: &WriteTx,
    before: ActionRow,
    changes: &ActionChanges,
) -> Result<Action, DbErr> {
    let mut row = before.into_active_model();
    if let Some(v) = &changes.description {
        row.description = Set(v.clone());
    }
    if let Some(v) = changes.owner_id {
        row.owner_id = Set(v);
    }
    if let Some(v) = changes.due_on {
        row.due_on = Set(v);
    }
    row.updated_at = Set(tx.now());
    Ok(action_of(row.update(tx.conn()).await?))
}

/// Moves an action to `status`, with the effect observed or the reason of an abandon.
pub async fn set_status(
    tx: &WriteTx,
    before: ActionRow,
    status: ActionStatus,
    effect_observed: Option<String>,
    abandon_reason: Option<String>,
) -> Result<Action, DbErr> {
    let mut row = before.into_active_model();
    row.status = Set(status);
    if effect_observed.is_some() {
        row.effect_observed = Set(effect_observed);
    }
    if abandon_reason.is_some() {
        row.abandon_reason = Set(abandon_reason);
    }
    row.updated_at = Set(tx.now());
    Ok(action_of(row.update(tx.conn()).await?))
}

/// Appends a change to an action's history.
pub async fn add_event(
    tx: &WriteTx,
    action_id: Uuid,
    by: Uuid,
    change: ActionChange,
    status: ActionStatus,
    note: Option<String>,
) -> Result<(), DbErr> {
    event::ActiveModel {
        id: Set(Uuid::now_v7()),
        action_id: Set(action_id),
        at: Set(tx.now()),
        by: Set(by),
        change: Set(change.as_str().to_owned()),
        status: Set(status),
        note: Set(note),
    }
    .insert(tx.conn())
    .await?;
    Ok(())
}

/// An action's history, oldest change first.
pub async fn history(
    db: &impl ConnectionTrait,
    action_id: Uuid,
) -> Result<Vec<ActionEvent>, DbErr> {
    event::Entity::find()
        .filter(event::Column::ActionId.eq(action_id))
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            let change = ActionChange::ALL
                .into_iter()
                .find(|c| c.as_str() == row.change)
                .ok_or_else(|| {
                    DbErr::Type(format!(
                        "unknown improvement action change {:?}",
                        row.change
                    ))
                })?;
            Ok(ActionEvent {
                at: row.at,
                by: row.by,
                change,
                status: row.status,
                note: row.note,
            })
        })
        .collect()
}
