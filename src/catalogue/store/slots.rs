//! Reading half-days: a session's, one by id (or locked), a trainer's between two instants.

use std::collections::{BTreeMap, BTreeSet};

use entity::{session_trainer, slot, training_session};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::catalogue::model::Slot;
use crate::db::query;

/// A half-day as the catalogue hands it out.
fn slot_of(row: slot::Model) -> Slot {
    Slot {
        id: row.id,
        session_id: row.session_id,
        date: row.local_date,
        period: row.period,
        local_start: row.local_start,
        local_end: row.local_end,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        minutes: row.minutes,
        sequence: row.sequence,
    }
}

/// The half-days of each session, in time order.
pub async fn slots_of(
    db: &impl ConnectionTrait,
    session_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<Slot>>, DbErr> {
    let rows = slot::Entity::find()
        .filter(slot::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?;
    Ok(query::group_by(rows.into_iter().map(slot_of), |s| {
        s.session_id
    }))
}

/// One half-day by id.
pub async fn slot(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Slot>, DbErr> {
    Ok(slot::Entity::find_by_id(id).one(db).await?.map(slot_of))
}

/// The half-days between `from` and `to` of the sessions (not cancelled, other than `except`)
/// that any of `trainers` teaches, each with the trainer.
pub async fn trainers_slots_between(
    db: &impl ConnectionTrait,
    trainers: &[Uuid],
    except: Uuid,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(Uuid, Slot)>, DbErr> {
    let links = session_trainer::Entity::find()
        .filter(session_trainer::Column::PersonId.is_in(trainers.iter().copied()))
        .filter(session_trainer::Column::SessionId.ne(except))
        .all(db)
        .await?;
    let sessions: BTreeSet<Uuid> = links.iter().map(|l| l.session_id).collect();
    let live: BTreeSet<Uuid> = training_session::Entity::find()
        .filter(training_session::Column::Id.is_in(sessions.iter().copied()))
        .filter(training_session::Column::Status.ne(entity::status::SessionStatus::Cancelled))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let slots = slot::Entity::find()
        .filter(slot::Column::SessionId.is_in(live.iter().copied()))
        .filter(slot::Column::StartsAt.lt(to))
        .filter(slot::Column::EndsAt.gt(from))
        .all(db)
        .await?;
    Ok(links
        .iter()
        .flat_map(|link| {
            slots
                .iter()
                .filter(move |s| s.session_id == link.session_id)
                .map(move |s| (link.person_id, slot_of(s.clone())))
        })
        .collect())
}

/// Reads a half-day and locks its row until commit.
pub async fn lock_slot(tx: &crate::db::write::WriteTx, id: Uuid) -> Result<Option<Slot>, DbErr> {
    Ok(tx.lock::<slot::Entity>(id).await?.map(slot_of))
}

/// The sessions whose every half-day ended before `before` (sessions with no half-day are not
/// among them).
pub async fn sessions_ended_before(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    slot::Entity::find()
        .select_only()
        .column(slot::Column::SessionId)
        .group_by(slot::Column::SessionId)
        .having(Expr::expr(Func::max(Expr::col(slot::Column::EndsAt))).lt(before))
        .order_by_asc(slot::Column::SessionId)
        .into_tuple()
        .all(db)
        .await
}
