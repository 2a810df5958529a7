//! The rules of attendance. Writes take the caller's [`WriteTx`] and lock in one order — the
//! session row, then the half-day's row, then the mark — so that a mark, a countersignature and
//! a closing of the same session happen one after the other on both engines.

use chrono::Duration;
use uuid::Uuid;

use crate::catalogue::model::{SessionStatus, Slot};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;

mod absences;
mod archive;
mod checks;
mod closing;
mod errors;
mod exports;
mod marks;
mod personal;
mod sheet;
mod slots;

pub use crate::attendance::signature::{
    MAX_BYTES as MAX_SIGNATURE_BYTES, SignatureProblem, SignatureSource, check as check_signature,
    sha256_hex,
};
pub use absences::*;
pub use archive::*;
pub use checks::*;
pub use closing::*;
pub use errors::AttendanceError;
pub use exports::*;
pub use marks::*;
pub use personal::*;
pub use sheet::*;
pub use slots::*;

pub type Result<T> = std::result::Result<T, AttendanceError>;

/// A trainee checks in from this long before the half-day starts…
pub const CHECK_IN_OPENS_BEFORE: Duration = Duration::minutes(30);
/// …to this long after it ends.
pub const CHECK_IN_CLOSES_AFTER: Duration = Duration::hours(2);

/// A half-day locked for an attendance write, with its session's trainers; the session must be
/// published (not draft, cancelled or closed).
struct LockedSlot {
    slot: Slot,
    trainers: Vec<Uuid>,
}

async fn lock_open_slot(tx: &mut WriteTx, slot_id: Uuid) -> Result<(LockedSlot, SessionStatus)> {
    let slot = catalogue::slot(tx.conn(), slot_id)
        .await?
        .ok_or(AttendanceError::SlotNotFound)?;
    let status = catalogue::lock_session_status(tx, slot.session_id)
        .await?
        .ok_or(AttendanceError::SlotNotFound)?;
    let slot = catalogue::lock_slot(tx, slot_id)
        .await?
        .ok_or(AttendanceError::SlotNotFound)?;
    let trainers = catalogue::trainer_ids_of(tx.conn(), slot.session_id).await?;
    Ok((LockedSlot { slot, trainers }, status))
}

/// Refuses writes to a session that is not running.
fn require_running(status: SessionStatus) -> Result<()> {
    match status {
        SessionStatus::Published => Ok(()),
        SessionStatus::Closed => Err(AttendanceError::SessionClosed),
        SessionStatus::Draft | SessionStatus::Cancelled => Err(AttendanceError::SessionNotOpen),
    }
}

/// A reason that must say something.
fn reason_of(reason: &str, field: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        let mut errors = crate::validation::FieldErrors::default();
        errors.add(field, "say why");
        return Err(AttendanceError::Invalid(errors));
    }
    Ok(reason.to_owned())
}

/// Reopening half-days, closing and reopening sessions: administrators only (403 for others).
fn require_admin(principal: &crate::principal::Principal) -> Result<()> {
    if crate::attendance::policy::may_administer(principal) {
        Ok(())
    } else {
        Err(AttendanceError::Forbidden(
            "only administrators close and reopen sessions and half-days",
        ))
    }
}
