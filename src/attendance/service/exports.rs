//! Attendance as spreadsheet rows, one per trainee and half-day, for a session's sheet or for
//! every session with a half-day in a period: French headers, dates and times local to each
//! session's own time zone.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::sheet::build_sheets;
use super::{AttendanceError, Result};
use crate::accounts::service as accounts;
use crate::attendance::model::{MarkStatus, Sheet, SheetRow, SheetSlot};
use crate::attendance::policy;
use crate::catalogue::model::{SessionFilter, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::tables::{Cell, Table};
use crate::validation::{FieldErrors, check_period};

/// A period of local days (both included) and its filters, for the attendance of every session
/// with a half-day in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendancePeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub training_id: Option<Uuid>,
}

/// The longest period listed: a year and a day (a leap year, or a year straddling two).
pub const MAX_PERIOD_DAYS: i64 = 366;

/// The sheets of the sessions (published or closed) with a half-day in the period, each with
/// only those half-days, one page of sessions at a time (by session id): every session for an
/// administrator, the sessions they teach for a trainer; anyone else is refused (403).
pub async fn list_attendance(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: &AttendancePeriod,
    page: &PageRequest,
) -> Result<Page<Sheet>> {
    if !policy::may_list_attendance(principal) {
        return Err(AttendanceError::Forbidden(
            "only administrators and trainers list attendance",
        ));
    }
    let mut errors = FieldErrors::new();
    check_period(
        &mut errors,
        period.from,
        period.to,
        MAX_PERIOD_DAYS,
        "a period of at most a year",
    );
    errors.into_result().map_err(AttendanceError::Invalid)?;
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Closed],
        training_id: period.training_id,
        half_days_between: Some((period.from, period.to)),
        ..Default::default()
    };
    let sessions = catalogue::list_sessions(db, principal, filter, page).await?;
    let days = period.from..=period.to;
    let sheets = build_sheets(db, &sessions.items, |slot| days.contains(&slot.date)).await?;
    Ok(Page {
        items: sheets,
        next: sessions.next,
    })
}

const HEADERS: &[&str] = &[
    "Session",
    "Formation",
    "Date",
    "Demi-journée",
    "Début",
    "Fin",
    "Fuseau horaire",
    "Stagiaire",
    "Identifiant du stagiaire",
    "Organisation",
    "Statut",
    "Minutes de retard",
    "Signé",
    "Heure de signature",
    "Minutes suivies",
    "Contresigné par le formateur",
];

/// The sheets as one table, a row per trainee and half-day, in time order (then training,
/// session and trainee); the trainees' organisations are named in one query.
pub async fn attendance_table(db: &impl ConnectionTrait, sheets: &[Sheet]) -> Result<Table> {
    let organisations: Vec<Uuid> = sheets
        .iter()
        .flat_map(|s| s.rows.iter().filter_map(|r| r.organisation_id))
        .collect();
    let names = accounts::organisation_names(db, &organisations).await?;
    let mut lines = Vec::new();
    for sheet in sheets {
        let zone = sheet
            .time_zone
            .parse::<Tz>()
            .unwrap_or(chrono_tz::Europe::Paris);
        for (i, slot) in sheet.slots.iter().enumerate() {
            for row in &sheet.rows {
                let key = (
                    slot.starts_at,
                    sheet.training_title.clone(),
                    sheet.session_id,
                    row.last_name.clone(),
                    row.first_name.clone(),
                    row.person_id,
                );
                lines.push((key, line(sheet, zone, slot, row, i, &names)));
            }
        }
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut table = Table::new("Émargements", HEADERS);
    for (_, line) in lines {
        table.push(line);
    }
    Ok(table)
}

/// One trainee's row for the half-day at `index` of the sheet.
fn line(
    sheet: &Sheet,
    zone: Tz,
    slot: &SheetSlot,
    row: &SheetRow,
    index: usize,
    organisations: &BTreeMap<Uuid, String>,
) -> Vec<Cell> {
    let mark = row.marks.get(index).and_then(Option::as_ref);
    vec![
        sheet.session_id.into(),
        sheet.training_title.clone().into(),
        slot.date.into(),
        crate::catalogue::model::half_day_name(slot.period).into(),
        hour(&slot.local_start),
        hour(&slot.local_end),
        sheet.time_zone.clone().into(),
        format!("{} {}", row.first_name, row.last_name).into(),
        row.person_id.into(),
        row.organisation_id
            .and_then(|id| organisations.get(&id).cloned())
            .into(),
        status(mark.map(|m| m.status)).into(),
        mark.and_then(|m| m.late_minutes).map(i64::from).into(),
        mark.is_some_and(|m| m.signature_sha256.is_some()).into(),
        mark.and_then(|m| m.signed_at)
            .map_or(Cell::Empty, |at| Cell::at(at, zone)),
        i64::from(row.minutes.get(index).copied().unwrap_or(0)).into(),
        slot.signoff.as_ref().is_some_and(|s| s.freezes()).into(),
    ]
}

/// A local `HH:MM` as a time of day (as it is, should it not read as one).
fn hour(local: &str) -> Cell {
    NaiveTime::parse_from_str(local, "%H:%M").map_or_else(|_| local.into(), Cell::Hour)
}

/// A mark's status in French.
fn status(status: Option<MarkStatus>) -> &'static str {
    match status {
        None => "non renseigné",
        Some(MarkStatus::Present) => "présent",
        Some(MarkStatus::Late) => "en retard",
        Some(MarkStatus::Absent) => "absent",
        Some(MarkStatus::Excused) => "excusé",
    }
}
