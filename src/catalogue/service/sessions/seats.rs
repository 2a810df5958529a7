//! Seats of a session, for the enrolment context: the catalogue owns `seats_taken` and the
//! session row, enrolment decides who holds a seat. Every enrolment write first locks the session
//! row ([`lock_for_seats`]), so one session's enrolments, cancellations and promotions run one
//! after the other on both engines (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN
//! IMMEDIATE` already serialises writers), and the seat count itself moves only by atomic
//! conditional updates.

use entity::training_session;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, DbErr};
use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::super::Result;
use crate::catalogue::model::{Money, SessionStatus, TrainingStatus};
use crate::catalogue::store;
use crate::db::write::WriteTx;

/// What enrolment needs of a session, read under its lock: no rooms, trainers or half-days.
#[derive(Debug, Clone)]
pub struct SeatsView {
    pub id: Uuid,
    pub status: SessionStatus,
    pub training_status: TrainingStatus,
    pub enrolment_deadline: Option<DateTime<Utc>>,
    /// Start of the first half-day.
    pub starts_at: Option<DateTime<Utc>>,
    pub member_price: Money,
    pub non_member_price: Money,
    /// Seats, and how many are taken (as locked: they move only under this lock).
    pub capacity: i32,
    pub seats_taken: i32,
}

impl SeatsView {
    /// Seats still free.
    pub fn free_seats(&self) -> i32 {
        Ord::max(self.capacity - self.seats_taken, 0)
    }
}

/// What [`SeatsAdded::seats_added`] returns: how many people got a seat.
pub type SeatsFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = std::result::Result<u32, DbErr>> + Send + 'a>,
>;

/// Told when a session gains free seats (its capacity was raised), in the transaction that
/// added them. Enrolment gives them to the people waiting; the assembly (`state.rs`) wires it,
/// so the catalogue never imports enrolment.
pub trait SeatsAdded: Send + Sync + 'static {
    /// Hands the free seats of `session_id` out, recording `by` and `reason`.
    fn seats_added<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        session_id: Uuid,
        by: Uuid,
        reason: &'a str,
    ) -> SeatsFuture<'a>;
}

/// Locks the session's row until commit and reads what enrolment needs of it (any status;
/// `None` if there is no such session). Call it before touching the session's enrolments.
pub async fn lock_for_seats(
    tx: &mut WriteTx,
    id: Uuid,
) -> std::result::Result<Option<SeatsView>, DbErr> {
    let Some(session) = store::lock_session(tx, id).await? else {
        return Ok(None);
    };
    let Some(training) = store::training(tx.conn(), session.training_id()).await? else {
        return Ok(None);
    };
    Ok(Some(SeatsView {
        id,
        status: session.status(),
        training_status: training.status,
        enrolment_deadline: session.enrolment_deadline(),
        starts_at: session.starts_at(),
        member_price: training.programme.member_price,
        non_member_price: training.programme.non_member_price,
        capacity: session.capacity(),
        seats_taken: session.seats_taken(),
    }))
}

/// A session's half-days (in time order) and trainers, for a late enrolment decided under the
/// session's lock.
pub async fn slots_and_trainers(
    db: &impl sea_orm::ConnectionTrait,
    id: Uuid,
) -> std::result::Result<(Vec<crate::catalogue::model::Slot>, Vec<Uuid>), DbErr> {
    let slots = store::slots_of(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok((slots, store::teachers_of(db, id).await?))
}

/// Takes a seat if one is free: `seats_taken + 1` where `seats_taken < capacity`. `false` when
/// the session is full.
pub async fn take_seat(tx: &mut WriteTx, id: Uuid) -> std::result::Result<bool, DbErr> {
    take_seats(tx, id, 1).await
}

/// Takes `count` seats if that many are free: `seats_taken + count` where
/// `seats_taken + count <= capacity`; `false` (and nothing taken) otherwise.
pub async fn take_seats(
    tx: &mut WriteTx,
    id: Uuid,
    count: i32,
) -> std::result::Result<bool, DbErr> {
    use training_session::Column as S;
    let taken = tx
        .update_where::<training_session::Entity>(
            id,
            vec![(S::SeatsTaken, Expr::col(S::SeatsTaken).add(count))],
            Condition::all().add(
                Expr::col(S::SeatsTaken)
                    .add(count)
                    .lte(Expr::col(S::Capacity)),
            ),
        )
        .await?;
    Ok(taken.is_some())
}

/// Gives a seat back (`seats_taken - 1`, never below 0).
pub async fn release_seat(tx: &mut WriteTx, id: Uuid) -> std::result::Result<(), DbErr> {
    use training_session::Column as S;
    tx.update_where::<training_session::Entity>(
        id,
        vec![(S::SeatsTaken, Expr::col(S::SeatsTaken).sub(1))],
        Condition::all().add(S::SeatsTaken.gt(0)),
    )
    .await?;
    Ok(())
}

/// Locks the session's row until commit and answers its status: attendance writes hold it, so
/// closing a session cannot race a mark.
pub async fn lock_session_status(tx: &mut WriteTx, id: Uuid) -> Result<Option<SessionStatus>> {
    Ok(store::lock_session(tx, id).await?.map(|s| s.status()))
}

/// Reads a half-day and locks it until commit: its marks and countersignature change one write
/// at a time.
pub async fn lock_slot(tx: &WriteTx, id: Uuid) -> Result<Option<crate::catalogue::model::Slot>> {
    Ok(store::lock_slot(tx, id).await?)
}
