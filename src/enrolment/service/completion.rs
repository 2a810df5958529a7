//! What closing a session does to its enrolments (attendance decides the figures): each seat
//! holder becomes `completed` with the minutes attended and the outcome; people still waiting
//! leave the line, cancelled with the reason. Reopening the session undoes the completion.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Result;
use crate::db::write::WriteTx;
use crate::enrolment::model::{Attendance, Cancellation, Enrolment, EnrolmentStatus};
use crate::enrolment::store;

/// The enrolments that hold (or held, once completed) a seat in the session.
pub async fn seat_holders(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Enrolment>> {
    Ok(store::seat_holders(db, session_id)
        .await?
        .into_iter()
        .map(store::enrolment_of)
        .collect())
}

/// The people waiting for a seat of the session, first in line first.
pub async fn waiting_for(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Enrolment>> {
    Ok(store::waitlist(db, session_id)
        .await?
        .into_iter()
        .map(store::enrolment_of)
        .collect())
}

/// The seat holders of several sessions, in one query (a period's attendance).
pub async fn seat_holders_of(
    db: &impl ConnectionTrait,
    session_ids: &[Uuid],
) -> Result<Vec<Enrolment>> {
    Ok(store::seat_holders_of(db, session_ids)
        .await?
        .into_iter()
        .map(store::enrolment_of)
        .collect())
}

/// Whether the person holds a confirmed seat in the session (attendance is recorded only for
/// them).
pub async fn holds_seat(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    person_id: Uuid,
) -> Result<bool> {
    Ok(store::confirmed_of(db, session_id, person_id)
        .await?
        .is_some())
}

/// Completes the session's enrolments: `attendance` per seat holder, and the waitlist cancelled
/// by `by` (the session is over).
pub async fn complete_enrolments(
    tx: &mut WriteTx,
    session_id: Uuid,
    attendance: &[(Uuid, Attendance)],
    by: Uuid,
) -> Result<()> {
    let now = tx.now();
    for (enrolment_id, attended) in attendance {
        let before = store::lock(tx, *enrolment_id)
            .await?
            .filter(|r| r.session_id == session_id && r.status == EnrolmentStatus::Confirmed);
        if let Some(before) = before {
            store::complete(tx, &before, Some(*attended), now).await?;
        }
    }
    for waiting in store::waitlist(tx.conn(), session_id).await? {
        let cancellation = Cancellation {
            at: now,
            by,
            reason: "the session was closed before a seat was free".into(),
            late: false,
        };
        store::cancel(tx, &waiting, cancellation).await?;
    }
    Ok(())
}

/// Puts the session's completed enrolments back to confirmed (the session was reopened).
pub async fn reopen_enrolments(tx: &mut WriteTx, session_id: Uuid) -> Result<()> {
    let now = tx.now();
    for row in store::seat_holders(tx.conn(), session_id).await? {
        if row.status == EnrolmentStatus::Completed {
            store::complete(tx, &row, None, now).await?;
        }
    }
    Ok(())
}
