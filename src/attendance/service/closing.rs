//! Closing a session: the checks must pass (or an administrator justifies the flags), then each
//! trainee's minutes and outcome are fixed on their enrolment, the waitlist is cancelled and the
//! session is frozen. Only a reopening, with a reason, lets anything change again.

use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::checks::flags_of;
use super::sheet::{build_sheet, visible_session};
use super::{AttendanceError, Result, reason_of, require_admin};
use crate::attendance::model::{Closure, Reopening, Timing, outcome};
use crate::attendance::store::{self, NewEvent};
use crate::catalogue::model::SessionStatus;
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::enrolment::model::Attendance;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;

/// Closes a session whose last half-day has ended. With flags, a justification is required.
pub async fn close_session(
    tx: &mut WriteTx,
    principal: &Principal,
    timing: Timing,
    session_id: Uuid,
    justification: Option<&str>,
) -> Result<Closure> {
    require_admin(principal)?;
    let status = catalogue::lock_session_status(tx, session_id)
        .await?
        .ok_or(AttendanceError::SessionNotFound)?;
    match status {
        SessionStatus::Published => {}
        SessionStatus::Closed => return Err(AttendanceError::SessionClosed),
        SessionStatus::Draft | SessionStatus::Cancelled => {
            return Err(AttendanceError::SessionNotOpen);
        }
    }
    let session = catalogue::session_details(tx.conn(), session_id)
        .await?
        .ok_or(AttendanceError::SessionNotFound)?;
    if session.slots.iter().any(|s| s.ends_at > tx.now()) {
        return Err(AttendanceError::SessionNotOver);
    }
    let flags = flags_of(tx.conn(), timing, &session).await?;
    let justification = justification
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .map(str::to_owned);
    if !flags.is_empty() && justification.is_none() {
        return Err(AttendanceError::FlagsNeedJustification(flags));
    }
    let sheet = build_sheet(tx.conn(), &session).await?;
    let attendance: Vec<(Uuid, Attendance)> = sheet
        .rows
        .iter()
        .map(|row| {
            let attended = Attendance {
                minutes: row.attended_minutes,
                outcome: outcome(row.attended_minutes, row.scheduled_minutes),
            };
            (row.enrolment_id, attended)
        })
        .collect();
    enrolment::complete_enrolments(tx, session_id, &attendance, principal.person_id).await?;
    catalogue::close_session(tx, session_id).await?;
    let closure = store::record_closure(
        tx,
        session_id,
        principal.person_id,
        justification.clone(),
        &flags,
    )
    .await?;
    let after = json!({ "flags": flags.iter().map(|f| f.code).collect::<Vec<_>>() });
    session_event(
        tx,
        principal,
        session_id,
        "close",
        Some(after),
        justification.as_deref(),
    )
    .await?;
    Ok(closure)
}

/// Reopens a closed session, saying why: enrolments go back to confirmed, marks may change.
pub async fn reopen_session(
    tx: &mut WriteTx,
    principal: &Principal,
    session_id: Uuid,
    reason: &str,
) -> Result<Closure> {
    require_admin(principal)?;
    let reason = reason_of(reason, "reason")?;
    let status = catalogue::lock_session_status(tx, session_id)
        .await?
        .ok_or(AttendanceError::SessionNotFound)?;
    if status != SessionStatus::Closed {
        return Err(AttendanceError::SessionNotClosed);
    }
    enrolment::reopen_enrolments(tx, session_id).await?;
    catalogue::reopen_session(tx, session_id).await?;
    let reopening = Reopening {
        at: tx.now(),
        by: principal.person_id,
        reason: reason.clone(),
    };
    let closure = store::record_reopening(tx, session_id, reopening)
        .await?
        .ok_or(AttendanceError::ClosureNotFound)?;
    session_event(tx, principal, session_id, "reopen", None, Some(&reason)).await?;
    Ok(closure)
}

/// How the session was last closed, for its trainers and administrators.
pub async fn closure(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Closure> {
    visible_session(db, principal, session_id).await?;
    store::closure(db, session_id)
        .await?
        .ok_or(AttendanceError::ClosureNotFound)
}

/// Adds a closing or reopening to the session's history.
async fn session_event(
    tx: &WriteTx,
    principal: &Principal,
    session_id: Uuid,
    action: &'static str,
    after: Option<serde_json::Value>,
    reason: Option<&str>,
) -> Result<()> {
    let event = NewEvent {
        context_id: session_id,
        subject: "session",
        subject_id: session_id,
        action,
        by: principal.person_id,
        before: None,
        after,
        reason,
    };
    Ok(store::record(tx, event).await?)
}
