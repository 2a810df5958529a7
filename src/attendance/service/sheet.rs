//! The attendance sheet of a session: each half-day with its countersignature, each trainee's
//! marks and the minutes they attended (the figure the certificate prints).

use std::collections::{BTreeMap, HashMap};

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{AttendanceError, Result};
use crate::attendance::model::{Mark, Sheet, SheetRow, SheetSlot, minutes_attended};
use crate::attendance::{policy, store};
use crate::catalogue::model::{PersonName, Session, SessionStatus, Slot};
use crate::catalogue::service as catalogue;
use crate::db::query::group_by;
use crate::enrolment::model::Enrolment;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;

/// The session's sheet, for its trainers and administrators.
pub async fn sheet(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Sheet> {
    let session = visible_session(db, principal, session_id).await?;
    build_sheet(db, &session).await
}

/// The session's attendance history (every mark set, corrected, cleared; every half-day
/// countersigned or reopened), oldest first, for its trainers and administrators: the audit
/// page of its sheet.
pub async fn session_history(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<crate::attendance::model::Event>> {
    visible_session(db, principal, session_id).await?;
    Ok(store::context_history(db, session_id).await?)
}

/// The session with its half-days, trainers and room, if the caller may see its attendance.
pub(super) async fn visible_session(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Session> {
    let session = catalogue::session_details(db, session_id)
        .await?
        .filter(|s| s.status != SessionStatus::Draft)
        .ok_or(AttendanceError::SessionNotFound)?;
    let trainers: Vec<Uuid> = session.trainers.iter().map(|t| t.id).collect();
    if !policy::may_see_sheet(principal, &trainers) {
        return Err(AttendanceError::SessionNotFound);
    }
    Ok(session)
}

/// The sheet of one session, every half-day of it.
pub async fn build_sheet(db: &impl ConnectionTrait, session: &Session) -> Result<Sheet> {
    let mut sheets = build_sheets(db, std::slice::from_ref(session), |_| true).await?;
    sheets.pop().ok_or(AttendanceError::SessionNotFound)
}

/// The sheets of several sessions, each with only the half-days `keep` accepts (a period's),
/// in a few queries whatever their number: the seat holders, their names, the marks and the
/// countersignatures of every kept half-day at once. Minutes count the kept half-days only.
pub async fn build_sheets(
    db: &impl ConnectionTrait,
    sessions: &[Session],
    keep: impl Fn(&Slot) -> bool,
) -> Result<Vec<Sheet>> {
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut holders = group_by(enrolment::seat_holders_of(db, &ids).await?, |e| {
        e.session_id
    });
    let people: Vec<Uuid> = holders.values().flatten().map(|e| e.person_id).collect();
    let names = catalogue::person_names(db, &people).await?;
    let kept: Vec<&Slot> = sessions
        .iter()
        .flat_map(|s| s.slots.iter())
        .filter(|s| keep(s))
        .collect();
    let slot_ids: Vec<Uuid> = kept.iter().map(|s| s.id).collect();
    let mut marks: HashMap<(Uuid, Uuid), _> = store::marks_of_slots(db, &slot_ids)
        .await?
        .into_iter()
        .map(store::mark_of)
        .map(|m| ((m.slot_id, m.person_id), m))
        .collect();
    let mut signoffs: HashMap<Uuid, _> = store::signoffs_of_slots(db, &slot_ids)
        .await?
        .into_iter()
        .map(store::signoff_of)
        .map(|s| (s.slot_id, s))
        .collect();
    Ok(sessions
        .iter()
        .map(|session| {
            let mut slots: Vec<SheetSlot> = session
                .slots
                .iter()
                .filter(|s| keep(s))
                .map(|s| SheetSlot {
                    id: s.id,
                    date: s.date,
                    period: s.period,
                    local_start: s.local_start.clone(),
                    local_end: s.local_end.clone(),
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    minutes: s.minutes,
                    signoff: signoffs.remove(&s.id),
                })
                .collect();
            slots.sort_by_key(|s| s.starts_at);
            let rows = holders
                .remove(&session.id)
                .unwrap_or_default()
                .into_iter()
                .map(|holder| row_of(session, &slots, holder, &names, &mut marks))
                .collect();
            Sheet {
                session_id: session.id,
                training_id: session.training.id,
                training_title: session.training.programme.title.clone(),
                time_zone: session.time_zone.clone(),
                closed: session.status == SessionStatus::Closed,
                slots,
                rows,
            }
        })
        .collect())
}

/// A trainee's row: their marks of `slots` (taken out of `marks`) and the minutes they count.
fn row_of(
    session: &Session,
    slots: &[SheetSlot],
    holder: Enrolment,
    names: &BTreeMap<Uuid, PersonName>,
    marks: &mut HashMap<(Uuid, Uuid), Mark>,
) -> SheetRow {
    let row_marks: Vec<_> = slots
        .iter()
        .map(|s| marks.remove(&(s.id, holder.person_id)))
        .collect();
    // A late trainee is scheduled only from their first half-day (where it stands now, among
    // all the session's half-days).
    let first_start = holder
        .late_start
        .and_then(|l| session.slots.iter().find(|s| s.id == l.slot_id))
        .map(|s| s.starts_at);
    let scheduled = |s: &SheetSlot| {
        holder
            .late_start
            .is_none_or(|l| l.schedules(first_start, s.starts_at))
    };
    let minutes: Vec<i32> = slots
        .iter()
        .zip(&row_marks)
        .map(|(s, m)| {
            if scheduled(s) {
                minutes_attended(m.as_ref(), s.minutes)
            } else {
                0
            }
        })
        .collect();
    let name = names.get(&holder.person_id);
    SheetRow {
        enrolment_id: holder.id,
        person_id: holder.person_id,
        first_name: name.map(|n| n.first_name.clone()).unwrap_or_default(),
        last_name: name.map(|n| n.last_name.clone()).unwrap_or_default(),
        organisation_id: holder.organisation_id,
        marks: row_marks,
        attended_minutes: minutes.iter().sum(),
        scheduled_minutes: slots
            .iter()
            .filter(|s| scheduled(s))
            .map(|s| s.minutes)
            .sum(),
        minutes,
    }
}

/// The images of these signatures, by SHA-256 (for the printed sheet).
pub async fn signature_images(
    db: &impl ConnectionTrait,
    hashes: &[String],
) -> Result<HashMap<String, Vec<u8>>> {
    Ok(store::pngs(db, hashes).await?)
}
