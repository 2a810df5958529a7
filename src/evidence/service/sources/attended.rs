//! The half-days attended in a calendar year (the BPF's fiscal year): the training sessions
//! (published or closed, counted in the BPF) with a half-day dated in the year that at least one
//! trainee attended, read from the attendance sheets. Only training sessions: club meetings are
//! another context, never read here.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::attendance::model::minutes_attended;
use crate::attendance::service as attendance;
use crate::catalogue::model::{Session, SessionFilter, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::enrolment::model::Enrolment;
use crate::enrolment::service as enrolment;
use crate::evidence::service::Result;
use crate::evidence::service::scope::instants;

/// Sessions whose sheets one read builds (their half-days' ids stay well under every engine's
/// bound parameters).
const SESSIONS_PER_READ: usize = 500;

/// A half-day of the year that someone attended.
#[derive(Debug, Clone, Copy)]
pub struct HeldSlot {
    pub id: Uuid,
    pub date: NaiveDate,
    pub minutes: i64,
}

/// A seat holder's attendance over the year's half-days.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub enrolment: Enrolment,
    /// Minutes attended on half-days dated in the year (present in full, late less the minutes
    /// missed, nothing otherwise).
    pub minutes: i64,
}

/// A session with half-days attended in the year.
#[derive(Debug, Clone)]
pub struct HeldSession {
    pub session: Session,
    /// Its half-days dated in the year that at least one trainee attended.
    pub held: Vec<HeldSlot>,
    /// Every seat holder (confirmed or completed), with the minutes they attended in the year.
    pub attendees: Vec<Attendee>,
    /// Minutes of the session's attended half-days per calendar year, over its whole run.
    pub held_minutes_by_year: BTreeMap<i32, i64>,
}

/// Every session of the BPF with half-days attended in `year`.
pub async fn held_in(db: &impl ConnectionTrait, year: i32) -> Result<Vec<HeldSession>> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let (start, end) = instants(first, last);
    // A day of margin: a session's half-days are dated in its own time zone.
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Closed],
        from: Some(start - Duration::days(1)),
        to: Some(end + Duration::days(1)),
        ..Default::default()
    };
    let sessions: Vec<Session> = catalogue::all_sessions_matching(db, &filter)
        .await?
        .into_iter()
        .filter(|s| s.bpf_scope && s.slots.iter().any(|slot| slot.date.year() == year))
        .collect();
    let mut held = Vec::new();
    // The sheets and seat holders of many sessions at once, not a few queries per session.
    for chunk in sessions.chunks(SESSIONS_PER_READ) {
        let sheets = attendance::build_sheets(db, chunk, |_| true).await?;
        let ids: Vec<Uuid> = chunk.iter().map(|s| s.id).collect();
        let mut holders: HashMap<Uuid, Enrolment> = enrolment::seat_holders_of(db, &ids)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        for (session, sheet) in chunk.iter().zip(sheets) {
            if let Some(session) = read_session(session.clone(), sheet, &mut holders, year) {
                held.push(session);
            }
        }
    }
    held.sort_by_key(|h| (h.session.starts_at, h.session.id));
    Ok(held)
}

/// The session's attendance in `year` from its sheet, or `None` when nobody attended a
/// half-day of it; its seat holders are taken out of `holders`.
fn read_session(
    session: Session,
    sheet: crate::attendance::model::Sheet,
    by_id: &mut HashMap<Uuid, Enrolment>,
    year: i32,
) -> Option<HeldSession> {
    // Minutes each row attended on each half-day (the sheet's slot order).
    let attended: Vec<Vec<i64>> = sheet
        .rows
        .iter()
        .map(|row| {
            sheet
                .slots
                .iter()
                .zip(&row.marks)
                .map(|(slot, mark)| i64::from(minutes_attended(mark.as_ref(), slot.minutes)))
                .collect()
        })
        .collect();
    let mut held = Vec::new();
    let mut held_minutes_by_year = BTreeMap::new();
    for (i, slot) in sheet.slots.iter().enumerate() {
        if !attended.iter().any(|row| row[i] > 0) {
            continue;
        }
        *held_minutes_by_year.entry(slot.date.year()).or_insert(0) += i64::from(slot.minutes);
        if slot.date.year() == year {
            held.push(HeldSlot {
                id: slot.id,
                date: slot.date,
                minutes: i64::from(slot.minutes),
            });
        }
    }
    if held.is_empty() {
        return None;
    }
    let attendees = sheet
        .rows
        .iter()
        .zip(&attended)
        .filter_map(|(row, minutes)| {
            let enrolment = by_id.remove(&row.enrolment_id)?;
            let minutes = sheet
                .slots
                .iter()
                .zip(minutes)
                .filter(|(slot, _)| slot.date.year() == year)
                .map(|(_, m)| m)
                .sum();
            Some(Attendee { enrolment, minutes })
        })
        .collect();
    Some(HeldSession {
        session,
        held,
        attendees,
        held_minutes_by_year,
    })
}
