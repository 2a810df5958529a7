//! The attendance sheet of a session: each half-day with its countersignature, each trainee's
//! marks and the minutes they attended (the figure the certificate prints).

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{AttendanceError, Result};
use crate::attendance::model::{Sheet, SheetRow, SheetSlot, minutes_attended};
use crate::attendance::{policy, store};
use crate::catalogue::model::{Session, SessionStatus};
use crate::catalogue::service as catalogue;
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

pub async fn build_sheet(db: &impl ConnectionTrait, session: &Session) -> Result<Sheet> {
    let holders = enrolment::seat_holders(db, session.id).await?;
    let people: Vec<Uuid> = holders.iter().map(|e| e.person_id).collect();
    let mut names = catalogue::person_names(db, &people).await?;
    let mut marks: HashMap<(Uuid, Uuid), _> = store::marks_of_session(db, session.id)
        .await?
        .into_iter()
        .map(|m| ((m.slot_id, m.person_id), m))
        .collect();
    let mut signoffs: HashMap<Uuid, _> = store::signoffs_of_session(db, session.id)
        .await?
        .into_iter()
        .map(|s| (s.slot_id, s))
        .collect();
    let mut slots: Vec<SheetSlot> = session
        .slots
        .iter()
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
        .into_iter()
        .map(|holder| {
            let row_marks: Vec<_> = slots
                .iter()
                .map(|s| marks.remove(&(s.id, holder.person_id)))
                .collect();
            // A late trainee is scheduled only from their first half-day (where it stands now).
            let first_start = holder
                .late_start
                .and_then(|l| slots.iter().find(|s| s.id == l.slot_id))
                .map(|s| s.starts_at);
            let scheduled_slot = |s: &SheetSlot| {
                holder
                    .late_start
                    .is_none_or(|l| l.schedules(first_start, s.starts_at))
            };
            let scheduled = slots
                .iter()
                .filter(|s| scheduled_slot(s))
                .map(|s| s.minutes)
                .sum();
            let attended = slots
                .iter()
                .zip(&row_marks)
                .filter(|(s, _)| scheduled_slot(s))
                .map(|(s, m)| minutes_attended(m.as_ref(), s.minutes))
                .sum();
            let name = names.remove(&holder.person_id);
            SheetRow {
                enrolment_id: holder.id,
                person_id: holder.person_id,
                first_name: name
                    .as_ref()
                    .map(|n| n.first_name.clone())
                    .unwrap_or_default(),
                last_name: name.map(|n| n.last_name).unwrap_or_default(),
                marks: row_marks,
                attended_minutes: attended,
                scheduled_minutes: scheduled,
            }
        })
        .collect();
    Ok(Sheet {
        session_id: session.id,
        time_zone: session.time_zone.clone(),
        closed: session.status == SessionStatus::Closed,
        slots,
        rows,
    })
}

/// The images of these signatures, by SHA-256 (for the printed sheet).
pub async fn signature_images(
    db: &impl ConnectionTrait,
    hashes: &[String],
) -> Result<HashMap<String, Vec<u8>>> {
    Ok(store::pngs(db, hashes).await?)
}
