//! Rescheduling keeps the evidence. Changing a session's half-days (replacing them, or a new
//! time zone that re-places them) may remove or move half-days that already hold attendance
//! marks or a trainer's countersignature: refused (409 `catalogue.slots_hold_marks`, naming
//! them) unless the request says `keep_history`, which archives that evidence in the attendance
//! history before the half-days change. A session that has started with confirmed trainees
//! keeps its start (409 `catalogue.session_started`).
//!
//! The catalogue does not know attendance: it asks through [`SlotEvidence`], which attendance
//! implements and the assembly (`state.rs`) wires, as it does [`super::SeatsAdded`].

use chrono::{DateTime, Utc};
use sea_orm::DbErr;
use uuid::Uuid;

use super::super::{CatalogueError, Result};
use crate::catalogue::model::Slot;
use crate::catalogue::store::LockedSession;
use crate::catalogue::time::PlannedSlot;
use crate::db::write::WriteTx;

/// What a change does with the evidence of the half-days it removes or moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnMarks {
    /// Refuse the change when such a half-day holds marks or a countersignature.
    #[default]
    Refuse,
    /// Archive them in the attendance history (still readable there and on the sheet's PDF),
    /// then make the change.
    KeepHistory,
}

/// What happens to a half-day that holds evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotChange {
    /// It is no longer among the session's half-days.
    Removed,
    /// It stays (same id: same date and period) at another time.
    Moved {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
}

/// A half-day as it stood before the change, and what the change does to it.
#[derive(Debug, Clone)]
pub struct Rescheduled {
    pub slot: Slot,
    pub change: SlotChange,
}

/// What [`SlotEvidence`] answers.
pub type EvidenceFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = std::result::Result<T, DbErr>> + Send + 'a>>;

/// The attendance evidence that half-days hold, asked in the transaction that changes them
/// (the session's row is locked, so no mark can be written meanwhile). Attendance implements
/// it; the assembly (`state.rs`) wires it, so the catalogue never imports attendance.
pub trait SlotEvidence: Send + Sync + 'static {
    /// Of `slot_ids`, those that hold a mark or a countersignature.
    fn holding<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        slot_ids: &'a [Uuid],
    ) -> EvidenceFuture<'a, Vec<Uuid>>;

    /// Takes the marks and countersignatures of these half-days off the live sheet (devices get
    /// tombstones) and keeps each in the attendance history, as archived by `by`. Answers how
    /// many were archived.
    fn archive<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        half_days: &'a [Rescheduled],
        by: Uuid,
    ) -> EvidenceFuture<'a, u32>;
}

/// Checks a new plan of a session's half-days against what they hold, and archives the evidence
/// of the half-days it removes or moves when the caller said `keep_history`. Call it under the
/// session's lock, before the half-days are written.
///
/// This is also the one point where a session with confirmed trainees is moved (its first
/// half-day changes while it is still ahead): where their notification will be sent from.
pub(super) async fn guard(
    tx: &mut WriteTx,
    session: &LockedSession,
    current: &[Slot],
    planned: &[PlannedSlot],
    evidence: &dyn SlotEvidence,
    on_marks: OnMarks,
    by: Uuid,
) -> Result<()> {
    let now = tx.now();
    let old_start = current.iter().map(|s| s.starts_at).min();
    let new_start = planned.iter().map(|p| p.starts_at).min();
    let in_the_past = |start: Option<DateTime<Utc>>| start.is_some_and(|s| s <= now);
    if session.seats_taken() > 0
        && old_start != new_start
        && (in_the_past(old_start) || in_the_past(new_start))
    {
        return Err(CatalogueError::SessionStarted);
    }
    let changed: Vec<Rescheduled> = current
        .iter()
        .filter_map(|old| {
            let change = match planned.iter().find(|p| p.id == old.id) {
                None => SlotChange::Removed,
                Some(p) if p.starts_at != old.starts_at || p.ends_at != old.ends_at => {
                    SlotChange::Moved {
                        starts_at: p.starts_at,
                        ends_at: p.ends_at,
                    }
                }
                Some(_) => return None,
            };
            Some(Rescheduled {
                slot: old.clone(),
                change,
            })
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = changed.iter().map(|r| r.slot.id).collect();
    let holding = evidence.holding(tx, &ids).await?;
    if holding.is_empty() {
        return Ok(());
    }
    match on_marks {
        OnMarks::Refuse => Err(CatalogueError::SlotsHoldMarks(holding)),
        OnMarks::KeepHistory => {
            let held: Vec<Rescheduled> = changed
                .into_iter()
                .filter(|r| holding.contains(&r.slot.id))
                .collect();
            evidence.archive(tx, &held, by).await?;
            Ok(())
        }
    }
}
