//! The write every mark goes through, online or pushed by a device: the checks of a half-day's
//! mark (who records whom, when), then the locked write with its history and signature.

use sea_orm::ActiveEnum;
use serde_json::json;
use uuid::Uuid;

use super::super::{
    AttendanceError, CHECK_IN_CLOSES_AFTER, CHECK_IN_OPENS_BEFORE, Result, lock_open_slot,
    require_running,
};
use super::PreparedMark;
use crate::attendance::model::{
    Activity, ActivityKind, MarkSet, MarkStatus, Origin, RecordedAs, hlc_at,
};
use crate::attendance::policy;
use crate::attendance::signature::SignatureSource;
use crate::attendance::store::{self, MarkRow, MarkState, NewEvent};
use crate::db::write::WriteTx;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// What a write to a half-day's mark is about to do, for its checks.
pub(in crate::attendance::service) struct SlotMarkWrite {
    pub slot_id: Uuid,
    pub person_id: Uuid,
    /// `None` clears the mark.
    pub status: Option<MarkStatus>,
    pub signed: bool,
}

/// Locks the session and the half-day (in that order) and checks that the caller may write
/// this mark now: who records whom, the session running, the trainee on the roster, the
/// half-day not countersigned, a self check-in signed and on time. Answers the activity and the
/// capacity the caller records in.
pub(in crate::attendance::service) async fn authorize_slot_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    write: SlotMarkWrite,
) -> Result<(Activity, RecordedAs)> {
    let SlotMarkWrite {
        slot_id,
        person_id,
        status,
        signed,
    } = write;
    let (locked, session_status) = lock_open_slot(tx, slot_id).await?;
    let recorded_as = policy::recorder(principal, person_id, &locked.trainers)
        .ok_or(AttendanceError::SlotNotFound)?;
    require_running(session_status)?;
    let slot = &locked.slot;
    if !enrolment::holds_seat(tx.conn(), slot.session_id, person_id).await? {
        return Err(if recorded_as == RecordedAs::Trainee {
            AttendanceError::SlotNotFound
        } else {
            AttendanceError::TraineeNotFound
        });
    }
    if store::lock_signoff(tx, slot_id)
        .await?
        .is_some_and(|s| store::signoff_of(s).freezes())
    {
        return Err(AttendanceError::SlotCountersigned);
    }
    let now = tx.now();
    if recorded_as == RecordedAs::Trainee {
        if !matches!(status, Some(MarkStatus::Present | MarkStatus::Late)) {
            let mut errors = FieldErrors::default();
            errors.add("status", "a trainee checks themself in as present or late");
            return Err(AttendanceError::Invalid(errors));
        }
        if !signed {
            return Err(AttendanceError::SignatureRequired);
        }
        if now < slot.starts_at - CHECK_IN_OPENS_BEFORE
            || now > slot.ends_at + CHECK_IN_CLOSES_AFTER
        {
            return Err(AttendanceError::OutsideCheckInWindow);
        }
    }
    let activity = Activity {
        kind: ActivityKind::Slot,
        id: slot_id,
        context_id: slot.session_id,
    };
    Ok((activity, recorded_as))
}

/// Where a mark write goes and who makes it.
pub(in crate::attendance::service) struct Written {
    pub activity: Activity,
    pub person_id: Uuid,
    pub recorded_as: RecordedAs,
    /// The device that pushed it, if any.
    pub origin: Option<Origin>,
}

/// Writes a mark already locked (`before`) and adds the change to its history.
pub(in crate::attendance::service) async fn write_locked(
    tx: &mut WriteTx,
    principal: &Principal,
    before: Option<MarkRow>,
    written: Written,
    prepared: PreparedMark,
) -> Result<MarkSet> {
    let now = tx.now();
    let PreparedMark { input, signature } = prepared;
    let origin = written.origin;
    let signed_at = match &signature {
        Some(source) => {
            keep_signature(tx, source, principal.person_id).await?;
            // A device's signature was made when the device says, else when its clock says.
            let made = origin.map_or(now, origin_time);
            Some(signed_at(input.signed_at.or(Some(made.min(now))), now)?)
        }
        None => None,
    };
    let state = MarkState {
        status: input.status,
        late_minutes: input.late_minutes,
        signature_sha256: signature.map(|s| s.sha256().to_owned()),
        signed_at,
        recorded_by: principal.person_id,
        recorded_as: written.recorded_as,
        device_id: origin.map(|o| o.device_id).or(input.device_id),
        hlc: origin.map_or_else(|| hlc_at(now), |o| o.hlc),
        device_seq: origin.map(|o| o.seq),
    };
    let activity = written.activity;
    let after = store::write_mark(tx, before.as_ref(), activity, written.person_id, state).await?;
    store::record(
        tx,
        NewEvent {
            context_id: activity.context_id,
            subject: "mark",
            subject_id: after.id,
            action: "set",
            by: principal.person_id,
            before: before.as_ref().map(snapshot),
            after: Some(snapshot(&after)),
            reason: None,
        },
    )
    .await?;
    Ok(MarkSet {
        created: before.is_none(),
        mark: store::mark_of(after),
    })
}

/// Stores a signature checked in this request, or checks that an uploaded one is there.
pub(in crate::attendance::service) async fn keep_signature(
    tx: &WriteTx,
    source: &SignatureSource,
    by: Uuid,
) -> Result<()> {
    match source {
        SignatureSource::Checked(checked) => {
            store::keep(tx.conn(), checked, by, tx.now()).await?;
        }
        SignatureSource::Stored(sha256) => {
            if !store::exists(tx.conn(), sha256).await? {
                return Err(AttendanceError::SignatureMissing);
            }
        }
    }
    Ok(())
}

/// When the trainee signed: the device's moment if given (never in the future), else now.
fn signed_at(
    given: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>> {
    match given {
        Some(at) if at > now + chrono::Duration::minutes(5) => {
            let mut errors = FieldErrors::default();
            errors.add("signed_at", "is in the future");
            Err(AttendanceError::Invalid(errors))
        }
        Some(at) => Ok(at),
        None => Ok(now),
    }
}

/// What the history keeps of a mark's state.
pub(in crate::attendance::service) fn snapshot(row: &MarkRow) -> serde_json::Value {
    json!({
        "status": row.status.to_value(),
        "late_minutes": row.late_minutes,
        "signature_sha256": row.signature_sha256,
        "signed_at": row.signed_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "recorded_by": row.recorded_by,
        "recorded_as": row.recorded_as.to_value(),
    })
}

/// When the device made the change, by its (clamped) clock: the signing time of a signature
/// that did not say.
pub(in crate::attendance::service) fn origin_time(origin: Origin) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(origin.hlc >> 16).unwrap_or_default()
}
