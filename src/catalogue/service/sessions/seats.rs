//! Seats of a session, for the enrolment context: the catalogue owns `seats_taken` and the
//! session row, enrolment decides who holds a seat. Every enrolment write first locks the session
//! row ([`lock_for_seats`]), so one session's enrolments, cancellations and promotions run one
//! after the other on both engines (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN
//! IMMEDIATE` already serialises writers), and the seat count itself moves only by atomic
//! conditional updates.

use entity::training_session;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use super::super::Result;
use crate::catalogue::model::Session;
use crate::catalogue::store;
use crate::db::write::WriteTx;

/// Locks the session's row until commit and reads the session (any status; `None` if there is
/// no such session). Call it before touching the session's enrolments.
pub async fn lock_for_seats(tx: &mut WriteTx, id: Uuid) -> Result<Option<Session>> {
    if store::lock_session(tx, id).await?.is_none() {
        return Ok(None);
    }
    Ok(store::session(tx.conn(), id).await?)
}

/// Takes a seat if one is free: `seats_taken + 1` where `seats_taken < capacity`. `false` when
/// the session is full.
pub async fn take_seat(tx: &mut WriteTx, id: Uuid) -> Result<bool> {
    use training_session::Column as S;
    let taken = tx
        .update_where::<training_session::Entity>(
            id,
            vec![(S::SeatsTaken, Expr::col(S::SeatsTaken).add(1))],
            Condition::all().add(Expr::col(S::SeatsTaken).lt(Expr::col(S::Capacity))),
        )
        .await?;
    Ok(taken.is_some())
}

/// Gives a seat back (`seats_taken - 1`, never below 0).
pub async fn release_seat(tx: &mut WriteTx, id: Uuid) -> Result<()> {
    use training_session::Column as S;
    tx.update_where::<training_session::Entity>(
        id,
        vec![(S::SeatsTaken, Expr::col(S::SeatsTaken).sub(1))],
        Condition::all().add(S::SeatsTaken.gt(0)),
    )
    .await?;
    Ok(())
}
