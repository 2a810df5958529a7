//! The write every mark goes through, online or pushed by a device: the checks of a half-day's
//! mark (who records whom, when), then the locked write with its history and signature.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveEnum;
use serde_json::json;
use uuid::Uuid;

use super::super::{
    AttendanceError, CHECK_IN_CLOSES_AFTER, Result, lock_open_slot, reason_of, require_running,
};
use super::PreparedMark;
use crate::attendance::model::{
    Activity, ActivityKind, DeviceWitness, MarkSet, MarkStatus, Origin, RecordedAs, Timing, hlc_at,
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
    pub timing: Timing,
}

/// A mark write the checks let through: where it goes, in which capacity, and whether it is an
/// administrator's correction of a half-day that has ended.
pub(in crate::attendance::service) struct Authorized {
    pub activity: Activity,
    pub recorded_as: RecordedAs,
    pub correction: bool,
}

/// Locks the session and the half-day (in that order) and checks that the caller may write
/// this mark now: who records whom, the session running, the trainee on the roster, the
/// half-day not countersigned and started (less the setting's margin), a self check-in signed
/// and on time.
pub(in crate::attendance::service) async fn authorize_slot_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    write: SlotMarkWrite,
) -> Result<Authorized> {
    let SlotMarkWrite {
        slot_id,
        person_id,
        status,
        signed,
        timing,
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
        if now < slot.starts_at - timing.opens_before || now > slot.ends_at + CHECK_IN_CLOSES_AFTER
        {
            return Err(AttendanceError::OutsideCheckInWindow);
        }
    }
    // No one records a half-day that has not started: a mark is evidence of what happened.
    if status.is_some() && now < slot.starts_at - timing.opens_before {
        return Err(AttendanceError::SlotNotStarted);
    }
    let activity = Activity {
        kind: ActivityKind::Slot,
        id: slot_id,
        context_id: slot.session_id,
    };
    Ok(Authorized {
        activity,
        recorded_as,
        correction: recorded_as == RecordedAs::Admin && now > slot.ends_at,
    })
}

/// Where a mark write goes and who makes it.
pub(in crate::attendance::service) struct Written {
    pub activity: Activity,
    pub person_id: Uuid,
    pub recorded_as: RecordedAs,
    /// The device that pushed it, if any.
    pub origin: Option<Origin>,
    /// An administrator's correction of a half-day that has ended.
    pub correction: bool,
}

/// Writes a mark already locked (`before`) and adds the change to its history. An
/// administrator's correction says why, carries no signature of its own, and keeps the
/// trainee's signature (with its times) while the trainee stays present or late.
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
    let reason = match (&input.reason, written.correction) {
        (Some(reason), _) => Some(reason_of(reason, "reason")?),
        (None, true) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "reason",
                "say why: an administrator's change after the half-day is a correction",
            );
            return Err(AttendanceError::Invalid(errors));
        }
        (None, false) => None,
    };
    let signing = if written.correction {
        if signature.is_some() {
            let mut errors = FieldErrors::default();
            errors.add(
                "signature_png",
                "a correction carries no signature: the trainee's stays as it was",
            );
            return Err(AttendanceError::Invalid(errors));
        }
        let attended = matches!(input.status, MarkStatus::Present | MarkStatus::Late);
        before
            .as_ref()
            .filter(|row| attended && row.signature_sha256.is_some())
            .map(Signing::kept)
            .unwrap_or_else(|| Signing::unsigned(now))
    } else {
        match &signature {
            Some(source) => {
                keep_signature(tx, source, principal.person_id).await?;
                Signing::made(input.signed_at, origin, now)?
            }
            None => Signing::unsigned_by(origin, now),
        }
    };
    let state = MarkState {
        status: input.status,
        late_minutes: input.late_minutes,
        signature_sha256: signing.sha256.or(signature.map(|s| s.sha256().to_owned())),
        signed_at: signing.signed_at,
        recorded_by: principal.person_id,
        recorded_as: written.recorded_as,
        device_id: origin.map(|o| o.device_id).or(input.device_id),
        hlc: origin.map_or_else(|| hlc_at(now), |o| o.hlc),
        device_seq: origin.map(|o| o.seq),
        received_at: signing.received_at,
        device: signing.device,
    };
    let activity = written.activity;
    let after = store::write_mark(tx, before.as_ref(), activity, written.person_id, state).await?;
    store::record(
        tx,
        NewEvent {
            context_id: activity.context_id,
            subject: "mark",
            subject_id: after.id,
            action: if written.correction { "correct" } else { "set" },
            by: principal.person_id,
            before: before.as_ref().map(snapshot),
            after: Some(snapshot(&after)),
            reason: reason.as_deref(),
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

/// What a write says of its signature's times: the declared signing time, when the server
/// received it, and the device's witness.
struct Signing {
    /// A signature kept from before (a correction); `None`: the write's own, if any.
    sha256: Option<String>,
    signed_at: Option<DateTime<Utc>>,
    received_at: DateTime<Utc>,
    device: Option<DeviceWitness>,
}

impl Signing {
    /// The trainee's signature as stored, kept by a correction.
    fn kept(row: &MarkRow) -> Self {
        let mark = store::mark_of(row.clone());
        Self {
            sha256: mark.signature_sha256,
            signed_at: mark.signed_at,
            received_at: mark.received_at,
            device: mark.device,
        }
    }

    /// No signature, as the server records it now.
    fn unsigned(now: DateTime<Utc>) -> Self {
        Self {
            sha256: None,
            signed_at: None,
            received_at: now,
            device: None,
        }
    }

    /// No signature, received now or with a device's push.
    fn unsigned_by(origin: Option<Origin>, now: DateTime<Utc>) -> Self {
        Self {
            device: origin.map(|o| o.witness()),
            received_at: origin.map_or(now, |o| o.received_at),
            ..Self::unsigned(now)
        }
    }

    /// A signature made in this write: when the caller says (never in the future on the
    /// server's clock), else when the device's clock recorded it, else now.
    fn made(
        declared: Option<DateTime<Utc>>,
        origin: Option<Origin>,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let device = origin.map(|o| o.witness());
        let signed_at = match declared {
            Some(at) => {
                let server_time = device.map_or(at, |d| d.to_server_time(at));
                if server_time > now + Duration::minutes(5) {
                    let mut errors = FieldErrors::default();
                    errors.add("signed_at", "is in the future");
                    return Err(AttendanceError::Invalid(errors));
                }
                at
            }
            None => origin.map_or(now, |o| o.recorded_at().min(now)),
        };
        Ok(Self {
            sha256: None,
            signed_at: Some(signed_at),
            received_at: origin.map_or(now, |o| o.received_at),
            device,
        })
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
        "received_at": row.received_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "device_recorded_at": row.device_recorded_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "clock_offset_ms": row.clock_offset_ms,
    })
}
