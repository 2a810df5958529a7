//! A trainee's mark for a half-day or a club meeting: every rule on its path in one place — the
//! online write (here), the device's write pushed offline ([`offline`]), the write both end in
//! ([`write`]: checks, lock, history, signature) and the order that decides between two
//! concurrent values ([`merge`]) — and reading a mark with its history.

mod merge;
mod offline;
mod write;

pub use merge::*;
pub use offline::*;
pub(in crate::attendance::service) use write::*;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{AttendanceError, Result};
use crate::attendance::model::{
    Activity, Event, Mark, MarkInput, MarkSet, MarkStatus, RecordedAs, Timing,
};
use crate::attendance::policy;
use crate::attendance::signature::{self, SignatureSource};
use crate::attendance::store;
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
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
/// the half-day). Refused before the half-day starts (less `timing`'s margin), while it is
/// countersigned or the session closed. An administrator's change after the half-day ended is a
/// correction, with its reason. Every change is kept in the history.
pub async fn set_mark(
    tx: &mut WriteTx,
    principal: &Principal,
    timing: Timing,
    slot_id: Uuid,
    person_id: Uuid,
    prepared: PreparedMark,
) -> Result<MarkSet> {
    let write = SlotMarkWrite {
        slot_id,
        person_id,
        status: Some(prepared.input.status),
        signed: prepared.signature.is_some(),
        timing,
    };
    let authorized = authorize_slot_mark(tx, principal, write).await?;
    let before = store::lock_mark(tx, slot_id, person_id).await?;
    let written = Written {
        activity: authorized.activity,
        person_id,
        recorded_as: authorized.recorded_as,
        origin: None,
        correction: authorized.correction,
    };
    write_locked(tx, principal, before, written, prepared).await
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
        correction: false,
    };
    write_locked(tx, principal, before, written, prepared).await
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
