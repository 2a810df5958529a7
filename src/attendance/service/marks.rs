//! Setting a trainee's mark for a half-day, and reading it with its history.

use sea_orm::{ActiveEnum, ConnectionTrait};
use serde_json::json;
use uuid::Uuid;

use super::{
    AttendanceError, CHECK_IN_CLOSES_AFTER, CHECK_IN_OPENS_BEFORE, Result, lock_open_slot,
    require_running,
};
use crate::attendance::model::{
    Activity, ActivityKind, Event, Mark, MarkInput, MarkSet, MarkStatus, Origin, RecordedAs, hlc_at,
};
use crate::attendance::policy;
use crate::attendance::signature::{self, SignatureSource};
use crate::attendance::store::{self, MarkRow, MarkState, NewEvent};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::validation::FieldErrors;

/// A mark whose fields and signature image were checked before the transaction (decoding a PNG
/// is CPU work that must not hold the write lock).
#[derive(Debug)]
pub struct PreparedMark {
    input: MarkInput,
    signature: Option<SignatureSource>,
}

impl PreparedMark {
    /// The status it records.
    pub fn status(&self) -> MarkStatus {
        self.input.status
    }

    /// Whether it carries a signature.
    pub fn signed(&self) -> bool {
        self.signature.is_some()
    }

    /// When the device says the trainee signed.
    pub fn signed_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.input.signed_at
    }

    /// Minutes late.
    pub fn late_minutes(&self) -> Option<i32> {
        self.input.late_minutes
    }

    /// The hash of its signature image.
    pub fn signature_sha256(&self) -> Option<&str> {
        self.signature.as_ref().map(SignatureSource::sha256)
    }
}

/// Checks a mark's fields and decodes its signature.
pub fn prepare_mark(mut input: MarkInput) -> Result<PreparedMark> {
    let png = input.signature_png.take();
    check_fields(&input, png.is_some())?;
    let signature = png
        .map(signature::check)
        .transpose()?
        .map(SignatureSource::Checked);
    Ok(PreparedMark { input, signature })
}

/// Checks a mark's fields; its signature is an image uploaded before, named by its hash (a
/// device's mark: the image was checked when it was uploaded).
pub fn prepare_stored_mark(input: MarkInput, sha256: Option<String>) -> Result<PreparedMark> {
    check_fields(&input, sha256.is_some())?;
    Ok(PreparedMark {
        input,
        signature: sha256.map(SignatureSource::Stored),
    })
}

fn check_fields(input: &MarkInput, signed: bool) -> Result<()> {
    let mut errors = FieldErrors::default();
    match (input.status, input.late_minutes) {
        (MarkStatus::Late, None) => errors.add("late_minutes", "say how many minutes late"),
        (MarkStatus::Late, Some(m)) if !(1..=600).contains(&m) => {
            errors.add("late_minutes", "between 1 and 600 minutes")
        }
        (MarkStatus::Late, Some(_)) => {}
        (_, Some(_)) => errors.add("late_minutes", "only for a late arrival"),
        (_, None) => {}
    }
    let absent = matches!(input.status, MarkStatus::Absent | MarkStatus::Excused);
    if absent && signed {
        errors.add("signature_png", "an absent trainee does not sign");
    }
    errors.into_result().map_err(AttendanceError::Invalid)
}

/// Sets `person_id`'s mark for the half-day: a trainer of the session or an administrator for
/// any confirmed trainee, the trainee themself (present or late, signed, during or shortly after
/// the half-day). Refused while the half-day is countersigned or the session closed. Every
/// change is kept in the history.
pub async fn set_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    slot_id: Uuid,
    person_id: Uuid,
    prepared: PreparedMark,
) -> Result<MarkSet> {
    let write = SlotMarkWrite {
        slot_id,
        person_id,
        status: Some(prepared.input.status),
        signed: prepared.signature.is_some(),
    };
    let (activity, recorded_as) = authorize_slot_mark(tx, principal, write).await?;
    write_activity_mark(tx, principal, activity, person_id, prepared, recorded_as).await
}

/// What a write to a half-day's mark is about to do, for its checks.
pub(super) struct SlotMarkWrite {
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
pub(super) async fn authorize_slot_mark(
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

/// Writes `person_id`'s mark at `activity` once its own context has checked who may record it
/// and when (a half-day here, a club meeting in clubs): keeps the signature image, locks the
/// mark, writes it and adds the change to its history.
pub async fn write_activity_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    activity: Activity,
    person_id: Uuid,
    prepared: PreparedMark,
    recorded_as: RecordedAs,
) -> Result<MarkSet> {
    let before = store::lock_mark(tx, activity.id, person_id).await?;
    let written = Written {
        activity,
        person_id,
        recorded_as,
        origin: None,
    };
    write_locked(tx, principal, before, written, prepared).await
}

/// Where a mark write goes and who makes it.
pub(super) struct Written {
    pub activity: Activity,
    pub person_id: Uuid,
    pub recorded_as: RecordedAs,
    /// The device that pushed it, if any.
    pub origin: Option<Origin>,
}

/// Writes a mark already locked (`before`) and adds the change to its history.
pub(super) async fn write_locked(
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
            let made = origin.map_or(now, super::offline::origin_time);
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
pub(super) async fn keep_signature(tx: &WriteTx, source: &SignatureSource, by: Uuid) -> Result<()> {
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

/// Every mark of one activity (a half-day or a club meeting), for a context that checked who
/// may see them.
pub async fn marks_of_activity(db: &impl ConnectionTrait, activity_id: Uuid) -> Result<Vec<Mark>> {
    Ok(store::marks_of_activity(db, activity_id).await?)
}

/// Every mark of the meetings of these clubs (their activity figures).
pub async fn meeting_marks_of_clubs(
    db: &impl ConnectionTrait,
    club_ids: &[Uuid],
) -> Result<Vec<Mark>> {
    Ok(store::meeting_marks_of_clubs(db, club_ids).await?)
}

/// The history of one mark, oldest first.
pub async fn mark_history(db: &impl ConnectionTrait, mark_id: Uuid) -> Result<Vec<Event>> {
    Ok(store::history(db, mark_id).await?)
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
pub(super) fn snapshot(row: &MarkRow) -> serde_json::Value {
    json!({
        "status": row.status.to_value(),
        "late_minutes": row.late_minutes,
        "signature_sha256": row.signature_sha256,
        "signed_at": row.signed_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        "recorded_by": row.recorded_by,
        "recorded_as": row.recorded_as.to_value(),
    })
}

/// A mark and its history, for the trainee, the session's trainers and administrators.
pub async fn get_mark(
    db: &impl ConnectionTrait,
    principal: &Principal,
    slot_id: Uuid,
    person_id: Uuid,
) -> Result<(Mark, Vec<Event>)> {
    let slot = catalogue::slot(db, slot_id)
        .await?
        .ok_or(AttendanceError::SlotNotFound)?;
    let trainers = catalogue::trainer_ids_of(db, slot.session_id).await?;
    if !policy::may_see_mark(principal, person_id, &trainers) {
        return Err(AttendanceError::SlotNotFound);
    }
    let mark = store::mark(db, slot_id, person_id)
        .await?
        .ok_or(AttendanceError::MarkNotFound)?;
    let history = store::history(db, mark.id).await?;
    Ok((mark, history))
}

/// A stored signature image, for whoever may see a mark or countersignature that carries it.
pub async fn signature_png(
    db: &impl ConnectionTrait,
    principal: &Principal,
    slot_id: Uuid,
    sha256: &str,
) -> Result<Vec<u8>> {
    let slot = catalogue::slot(db, slot_id)
        .await?
        .ok_or(AttendanceError::SlotNotFound)?;
    let trainers = catalogue::trainer_ids_of(db, slot.session_id).await?;
    let marks = store::marks_of_session(db, slot.session_id).await?;
    let signoffs = store::signoffs_of_session(db, slot.session_id).await?;
    let visible = marks.iter().any(|m| {
        m.slot_id == slot_id
            && m.signature_sha256.as_deref() == Some(sha256)
            && policy::may_see_mark(principal, m.person_id, &trainers)
    }) || signoffs.iter().any(|s| {
        s.slot_id == slot_id
            && s.signature_sha256 == sha256
            && policy::may_see_sheet(principal, &trainers)
    });
    if !visible {
        return Err(AttendanceError::SignatureNotFound);
    }
    store::png(db, sha256)
        .await?
        .ok_or(AttendanceError::SignatureNotFound)
}
