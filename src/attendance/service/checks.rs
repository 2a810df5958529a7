//! The checks an attendance sheet must pass before its session closes: the red flags for which
//! courts rejected attendance evidence (CAA Nantes, 2021 — ../research/qualiopi.md §2.5–2.7).
//! Each flag names the half-days and people that show it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Result;
use super::sheet::{build_sheet, visible_session};
use crate::attendance::holidays::french_public_holiday;
use crate::attendance::model::{Flag, Mark, MarkStatus, Sheet, SheetSlot, Timing};
use crate::catalogue::model::Session;
use crate::catalogue::service as catalogue;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;

/// Every flag code, in the order the checks run.
pub const FLAG_CODES: &[&str] = &[
    "slot_not_countersigned",
    "signature_missing",
    "signed_in_one_go",
    "signed_long_after",
    "signed_outside_half_day",
    "signing_time_unexplained",
    "received_together_long_after",
    "public_holiday",
    "trainer_double_booked",
    "over_room_capacity",
    "identical_signatures",
    "title_mismatch",
];

/// Signatures of two or more half-days all made within this span were signed in one go.
pub const ONE_GO_SPAN: Duration = Duration::minutes(10);
/// A signature made this long after its half-day ended was signed long after.
pub const LONG_AFTER: Duration = Duration::hours(24);

/// The static code for a stored one (`unknown` for a code this build does not know).
pub fn flag_code(code: &str) -> &'static str {
    FLAG_CODES
        .iter()
        .find(|c| **c == code)
        .copied()
        .unwrap_or("unknown")
}

/// The session's flags, for its trainers and administrators.
pub async fn checks(
    db: &impl ConnectionTrait,
    principal: &Principal,
    timing: Timing,
    session_id: Uuid,
) -> Result<Vec<Flag>> {
    let session = visible_session(db, principal, session_id).await?;
    flags_of(db, timing, &session).await
}

/// Runs every check on the session as stored now.
pub(super) async fn flags_of(
    db: &impl ConnectionTrait,
    timing: Timing,
    session: &Session,
) -> Result<Vec<Flag>> {
    let sheet = build_sheet(db, session).await?;
    let mut flags = Vec::new();
    not_countersigned(&sheet, &mut flags);
    signatures(&sheet, &mut flags);
    witnessed_times(&sheet, timing, &mut flags);
    holidays(&sheet, &mut flags);
    double_booked(db, session, &mut flags).await?;
    over_capacity(session, &sheet, &mut flags);
    title_mismatch(db, session, &sheet, &mut flags).await?;
    Ok(flags)
}

/// The half-days and people that show one flag, gathered mark by mark.
#[derive(Default)]
struct Shown {
    slots: BTreeSet<Uuid>,
    people: BTreeSet<Uuid>,
}

impl Shown {
    fn add(&mut self, slot: Uuid, person: Uuid) {
        self.slots.insert(slot);
        self.people.insert(person);
    }

    /// Raises `code` when some mark showed it.
    fn raise(self, code: &'static str, message: String, flags: &mut Vec<Flag>) {
        if !self.slots.is_empty() {
            flags.push(flag(
                code,
                message,
                self.slots.into_iter().collect(),
                self.people.into_iter().collect(),
            ));
        }
    }
}

fn flag(code: &'static str, message: String, slot_ids: Vec<Uuid>, person_ids: Vec<Uuid>) -> Flag {
    Flag {
        code,
        message,
        slot_ids,
        person_ids,
    }
}

fn not_countersigned(sheet: &Sheet, flags: &mut Vec<Flag>) {
    let missing: Vec<Uuid> = sheet
        .slots
        .iter()
        .filter(|s| !s.signoff.as_ref().is_some_and(|o| o.freezes()))
        .map(|s| s.id)
        .collect();
    if !missing.is_empty() {
        flags.push(flag(
            "slot_not_countersigned",
            format!(
                "{} half-day(s) without the trainer's countersignature",
                missing.len()
            ),
            missing,
            Vec::new(),
        ));
    }
}

/// Missing, grouped, late and pasted signatures, per trainee.
fn signatures(sheet: &Sheet, flags: &mut Vec<Flag>) {
    let mut missing = (Vec::new(), BTreeSet::new());
    let mut long_after = Shown::default();
    for row in &sheet.rows {
        let signed: Vec<_> = sheet
            .slots
            .iter()
            .zip(&row.marks)
            .filter_map(|(slot, mark)| Some((slot, mark.as_ref()?)))
            .filter(|(_, m)| matches!(m.status, MarkStatus::Present | MarkStatus::Late))
            .collect();
        for (slot, mark) in &signed {
            match mark.signed_at {
                None => {
                    missing.0.push(slot.id);
                    missing.1.insert(row.person_id);
                }
                Some(at) if at > slot.ends_at + LONG_AFTER => {
                    long_after.add(slot.id, row.person_id);
                }
                Some(_) => {}
            }
        }
        let times: Vec<_> = signed.iter().filter_map(|(_, m)| m.signed_at).collect();
        if let (Some(first), Some(last)) = (times.iter().min(), times.iter().max())
            && times.len() >= 2
            && *last - *first <= ONE_GO_SPAN
        {
            flags.push(flag(
                "signed_in_one_go",
                format!(
                    "{} {}: {} half-days signed within {} minutes",
                    row.first_name,
                    row.last_name,
                    times.len(),
                    (*last - *first).num_minutes()
                ),
                signed.iter().map(|(s, _)| s.id).collect(),
                vec![row.person_id],
            ));
        }
        let mut by_image: BTreeMap<&str, Vec<Uuid>> = BTreeMap::new();
        for (slot, mark) in &signed {
            if let Some(hash) = mark.signature_sha256.as_deref() {
                by_image.entry(hash).or_default().push(slot.id);
            }
        }
        for slots in by_image.into_values().filter(|s| s.len() >= 2) {
            flags.push(flag(
                "identical_signatures",
                format!(
                    "{} {}: the same signature image, byte for byte, on {} half-days",
                    row.first_name,
                    row.last_name,
                    slots.len()
                ),
                slots,
                vec![row.person_id],
            ));
        }
    }
    if !missing.0.is_empty() {
        flags.push(flag(
            "signature_missing",
            format!(
                "{} present mark(s) without the trainee's signature",
                missing.0.len()
            ),
            missing.0,
            missing.1.into_iter().collect(),
        ));
    }
    long_after.raise(
        "signed_long_after",
        format!(
            "signatures made more than {} hours after their half-day",
            LONG_AFTER.num_hours()
        ),
        flags,
    );
}

/// What the server witnessed against what was declared, per trainee: a declared signing time
/// outside its half-day (on the server's clock), one later than the server could have seen it
/// made, and several half-days' signatures received together long after them.
fn witnessed_times(sheet: &Sheet, timing: Timing, flags: &mut Vec<Flag>) {
    let mut outside = Shown::default();
    let mut unexplained = Shown::default();
    for row in &sheet.rows {
        let signed: Vec<(&SheetSlot, &Mark)> = sheet
            .slots
            .iter()
            .zip(&row.marks)
            .filter_map(|(slot, mark)| Some((slot, mark.as_ref()?)))
            .filter(|(_, m)| m.signature_sha256.is_some())
            .collect();
        for (slot, mark) in &signed {
            let Some(declared) = mark.signed_at_server_time() else {
                continue;
            };
            if declared > mark.witnessed_at() + timing.signing_tolerance {
                unexplained.add(slot.id, row.person_id);
            } else if (declared < slot.starts_at - timing.signing_tolerance
                || declared > slot.ends_at + timing.signing_tolerance)
                && declared <= slot.ends_at + LONG_AFTER
            {
                outside.add(slot.id, row.person_id);
            }
        }
        let late: Vec<_> = signed
            .iter()
            .filter(|(slot, m)| m.witnessed_at() > slot.ends_at + timing.received_late_after)
            .collect();
        if let (Some(first), Some(last)) = (
            late.iter().map(|(_, m)| m.witnessed_at()).min(),
            late.iter().map(|(_, m)| m.witnessed_at()).max(),
        ) && late.len() >= 2
            && last - first <= timing.received_together_within
        {
            flags.push(flag(
                "received_together_long_after",
                format!(
                    "{} {}: the signatures of {} half-days reached the server together, more than {} hours after their half-days",
                    row.first_name,
                    row.last_name,
                    late.len(),
                    timing.received_late_after.num_hours()
                ),
                late.iter().map(|(s, _)| s.id).collect(),
                vec![row.person_id],
            ));
        }
    }
    outside.raise(
        "signed_outside_half_day",
        format!(
            "signatures declared more than {} minutes outside their half-day",
            timing.signing_tolerance.num_minutes()
        ),
        flags,
    );
    unexplained.raise(
        "signing_time_unexplained",
        "signing times declared later than the server or the device could have seen the signature made".to_owned(),
        flags,
    );
}

fn holidays(sheet: &Sheet, flags: &mut Vec<Flag>) {
    for slot in &sheet.slots {
        if let Some(name) = french_public_holiday(slot.date) {
            flags.push(flag(
                "public_holiday",
                format!(
                    "the half-day of {} falls on a public holiday ({name})",
                    slot.date
                ),
                vec![slot.id],
                Vec::new(),
            ));
        }
    }
}

async fn double_booked(
    db: &impl ConnectionTrait,
    session: &Session,
    flags: &mut Vec<Flag>,
) -> Result<()> {
    let (Some(from), Some(to)) = (
        session.slots.iter().map(|s| s.starts_at).min(),
        session.slots.iter().map(|s| s.ends_at).max(),
    ) else {
        return Ok(());
    };
    let trainers: Vec<Uuid> = session.trainers.iter().map(|t| t.id).collect();
    let elsewhere = catalogue::trainers_slots_between(db, &trainers, session.id, from, to).await?;
    for trainer in &session.trainers {
        let clashes: Vec<Uuid> = session
            .slots
            .iter()
            .filter(|mine| {
                elsewhere.iter().any(|(who, other)| {
                    *who == trainer.id
                        && other.starts_at < mine.ends_at
                        && mine.starts_at < other.ends_at
                })
            })
            .map(|s| s.id)
            .collect();
        if !clashes.is_empty() {
            flags.push(flag(
                "trainer_double_booked",
                format!(
                    "{} {} teaches another session at the same time on {} half-day(s)",
                    trainer.first_name,
                    trainer.last_name,
                    clashes.len()
                ),
                clashes,
                vec![trainer.id],
            ));
        }
    }
    Ok(())
}

fn over_capacity(session: &Session, sheet: &Sheet, flags: &mut Vec<Flag>) {
    let Some(capacity) = session.room.capacity else {
        return;
    };
    for (index, slot) in sheet.slots.iter().enumerate() {
        let present: Vec<Uuid> = sheet
            .rows
            .iter()
            .filter(|r| {
                r.marks[index]
                    .as_ref()
                    .is_some_and(|m| matches!(m.status, MarkStatus::Present | MarkStatus::Late))
            })
            .map(|r| r.person_id)
            .collect();
        if i32::try_from(present.len()).unwrap_or(i32::MAX) > capacity {
            flags.push(flag(
                "over_room_capacity",
                format!(
                    "{} present on {} in a room of {capacity} places",
                    present.len(),
                    slot.date
                ),
                vec![slot.id],
                present,
            ));
        }
    }
}

async fn title_mismatch(
    db: &impl ConnectionTrait,
    session: &Session,
    sheet: &Sheet,
    flags: &mut Vec<Flag>,
) -> Result<()> {
    let title = &session.training.programme.title;
    let enrolments: Vec<Uuid> = sheet.rows.iter().map(|r| r.enrolment_id).collect();
    let differing: Vec<Uuid> = enrolment::convocations_of(db, &enrolments)
        .await?
        .into_iter()
        .filter(|c| &c.content.training_title != title)
        .filter_map(|c| sheet.rows.iter().find(|r| r.enrolment_id == c.enrolment_id))
        .map(|r| r.person_id)
        .collect();
    if !differing.is_empty() {
        flags.push(flag(
            "title_mismatch",
            format!(
                "{} convocation(s) name the training differently from \"{title}\"",
                differing.len()
            ),
            Vec::new(),
            differing,
        ));
    }
    Ok(())
}
