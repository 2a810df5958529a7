//! Checking a session's plan: capacity against its room, half-days placed in its time zone and
//! adding up to the training's duration, a deadline before the first half-day, real trainers.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::super::Result;
use crate::catalogue::model::{Room, Slot, Training};
use crate::catalogue::store;
use crate::catalogue::time::{self, PlannedSlot, SlotInput};
use crate::validation::FieldErrors;
use crate::values::TimeZone;

/// What a plan is checked against.
pub(super) struct Plan<'a> {
    pub session_id: Uuid,
    pub training: &'a Training,
    pub room: Option<&'a Room>,
    pub zone: Option<Tz>,
    pub capacity: i32,
    pub deadline: Option<DateTime<Utc>>,
    pub duration_note: Option<&'a str>,
}

/// Checks a session's plan and places its slots; every problem is named by field.
pub(super) fn check(
    plan: &Plan<'_>,
    slots: &[SlotInput],
    errors: &mut FieldErrors,
) -> Vec<PlannedSlot> {
    if plan.capacity < 1 {
        errors.add("capacity", "must be at least 1");
    }
    if let Some(room_capacity) = plan.room.and_then(|r| r.capacity)
        && plan.capacity > room_capacity
    {
        errors.add("capacity", format!("the room holds {room_capacity} people"));
    }
    let Some(zone) = plan.zone else {
        return Vec::new();
    };
    let planned = time::plan(plan.session_id, zone, slots, errors);
    if !planned.is_empty() {
        let total: i32 = planned.iter().map(|s| s.minutes).sum();
        let expected = plan.training.programme.duration_minutes;
        if total != expected && plan.duration_note.is_none_or(|n| n.trim().is_empty()) {
            errors.add(
                "slots",
                format!("the half-days add up to {total} minutes but the training lasts {expected}; give duration_note to explain"),
            );
        }
        if let (Some(deadline), Some(first)) = (plan.deadline, planned.first())
            && deadline > first.starts_at
        {
            errors.add(
                "enrolment_deadline",
                "must not be after the first half-day starts",
            );
        }
    }
    planned
}

pub(super) fn zone_of(name: &str, errors: &mut FieldErrors) -> Option<Tz> {
    errors
        .parse::<TimeZone>("time_zone", name)
        .map(TimeZone::tz)
}

/// The distinct trainer ids, each checked to hold the trainer role.
pub(super) async fn check_trainers(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    errors: &mut FieldErrors,
) -> Result<Vec<Uuid>> {
    let unique: Vec<Uuid> = ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let found = store::trainer_ids(db, &unique).await?;
    for id in &unique {
        if !found.contains(id) {
            errors.add("trainer_ids", format!("{id} is not a trainer"));
        }
    }
    Ok(unique)
}

/// A stored half-day as the planner takes it back (to re-place it in a new zone).
pub(super) fn slot_input(s: &Slot) -> SlotInput {
    SlotInput {
        date: s.date,
        period: s.period,
        start: s.local_start.clone(),
        end: s.local_end.clone(),
    }
}

/// Trims a note; an empty one is none.
pub(super) fn note(value: Option<String>) -> Option<String> {
    value.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())
}
