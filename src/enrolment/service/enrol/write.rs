//! The write phase of a group of enrolment requests: the waitlist places, the seats taken in
//! one conditional update, the new rows in one insert, and each request's answer.

use sea_orm::DbErr;
use uuid::Uuid;

use super::decide::{Decision, Plan};
use crate::catalogue::service as catalogue;
use crate::db::outbox::Event;
use crate::db::write::WriteTx;
use crate::enrolment::model::Enrolled;
use crate::enrolment::service::{EnrolmentError, Result};
use crate::enrolment::store;

/// Writes what [`super::decide::decide`] planned for `session_id` and answers each request.
/// `Err` only for a database error, which leaves the group's writes to be rolled back by the
/// caller.
pub(super) async fn write(
    tx: &mut WriteTx,
    session_id: Uuid,
    plan: Plan,
) -> std::result::Result<Vec<Result<Enrolled>>, DbErr> {
    let Plan {
        decisions,
        new,
        confirmed,
    } = plan;
    let first_place = if new.iter().any(|p| p.waits.is_some()) {
        store::last_position(tx.conn(), session_id).await? + 1
    } else {
        0
    };
    let new = new
        .into_iter()
        .map(|planned| {
            let mut row = planned.row;
            row.waitlist_position = planned.waits.map(|n| first_place + n);
            (Uuid::now_v7(), row)
        })
        .collect();
    if confirmed > 0 && !catalogue::take_seats(tx, session_id, confirmed).await? {
        return Err(DbErr::Custom(format!(
            "the seats of session {session_id} moved under its lock"
        )));
    }
    let rows = store::insert_all(tx, new).await?;
    let confirmed = rows
        .iter()
        .filter(|row| row.waitlist_position.is_none())
        .map(|row| Event::EnrolmentConfirmed(row.id));
    tx.emit(confirmed.collect::<Vec<_>>()).await?;
    Ok(decisions
        .into_iter()
        .map(|decision| match decision {
            Decision::Refused(error) => Err(error),
            Decision::Replay(row) => Ok(Enrolled {
                enrolment: store::enrolment_of(*row),
                replayed: true,
            }),
            Decision::New { index, replayed } => rows
                .get(index)
                .cloned()
                .map(|row| Enrolled {
                    enrolment: store::enrolment_of(row),
                    replayed,
                })
                .ok_or(EnrolmentError::NotFound),
        })
        .collect())
}
