//! How sessions were closed (and reopened).

use entity::session_closure;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Set};
use uuid::Uuid;

use crate::attendance::model::{Closure, Flag, Reopening};
use crate::db::write::WriteTx;

fn flags_json(flags: &[Flag]) -> String {
    serde_json::Value::Array(
        flags
            .iter()
            .map(|f| {
                serde_json::json!({
                    "code": f.code,
                    "message": f.message,
                    "slot_ids": f.slot_ids,
                    "person_ids": f.person_ids,
                })
            })
            .collect(),
    )
    .to_string()
}

fn flags_of(text: &str) -> Vec<Flag> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return Vec::new();
    };
    let ids = |v: &serde_json::Value| -> Vec<Uuid> {
        v.as_array()
            .map(|a| a.iter().filter_map(|i| i.as_str()?.parse().ok()).collect())
            .unwrap_or_default()
    };
    items
        .iter()
        .map(|f| Flag {
            code: crate::attendance::service::flag_code(f["code"].as_str().unwrap_or_default()),
            message: f["message"].as_str().unwrap_or_default().to_owned(),
            slot_ids: ids(&f["slot_ids"]),
            person_ids: ids(&f["person_ids"]),
        })
        .collect()
}

fn closure_of(row: session_closure::Model) -> Closure {
    Closure {
        session_id: row.session_id,
        closed_by: row.closed_by,
        closed_at: row.closed_at,
        justification: row.justification,
        flags: flags_of(&row.flags),
        reopening: match (row.reopened_at, row.reopened_by, row.reopen_reason) {
            (Some(at), Some(by), Some(reason)) => Some(Reopening { at, by, reason }),
            _ => None,
        },
    }
}

/// Records a closing (replacing an earlier one that was reopened).
pub async fn record_closure(
    tx: &WriteTx,
    session_id: Uuid,
    by: Uuid,
    justification: Option<String>,
    flags: &[Flag],
) -> Result<Closure, DbErr> {
    let row = session_closure::ActiveModel {
        session_id: Set(session_id),
        closed_by: Set(by),
        closed_at: Set(tx.now()),
        justification: Set(justification),
        flags: Set(flags_json(flags)),
        reopened_at: Set(None),
        reopened_by: Set(None),
        reopen_reason: Set(None),
    };
    session_closure::Entity::delete_by_id(session_id)
        .exec(tx.conn())
        .await?;
    let row = session_closure::Entity::insert(row)
        .exec_with_returning(tx.conn())
        .await?;
    Ok(closure_of(row))
}

/// Records that a closed session was reopened.
pub async fn record_reopening(
    tx: &WriteTx,
    session_id: Uuid,
    reopening: Reopening,
) -> Result<Option<Closure>, DbErr> {
    let Some(before) = session_closure::Entity::find_by_id(session_id)
        .one(tx.conn())
        .await?
    else {
        return Ok(None);
    };
    let mut row = before.into_active_model();
    row.reopened_at = Set(Some(reopening.at));
    row.reopened_by = Set(Some(reopening.by));
    row.reopen_reason = Set(Some(reopening.reason));
    Ok(Some(closure_of(
        session_closure::Entity::update(row).exec(tx.conn()).await?,
    )))
}

/// A session's closing, if it was ever closed.
pub async fn closure(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Option<Closure>, DbErr> {
    Ok(session_closure::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .map(closure_of))
}
