//! Half-days in a session's time zone: local wall-clock times in, exact UTC instants out.
//!
//! A slot is typed in local time ("09:00–12:30 on 2027-03-28, Europe/Paris") and stored in UTC,
//! computed with the IANA database, so a half-day on the day of a daylight-saving change is still
//! 09:00 local. A local time that does not exist (inside the spring-forward gap) is refused; an
//! ambiguous one (the repeated autumn hour) takes the earlier instant.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::model::Period;
use crate::validation::FieldErrors;

/// Default zone of a session.
pub const DEFAULT_ZONE: &str = "Europe/Paris";

/// Namespace of slot ids: a slot is defined by (session, local date, period), so its id is a
/// UUIDv5 of that key and survives a replacement of the session's slots.
const SLOT_NAMESPACE: Uuid = Uuid::from_u128(0x0193_7a00_5107_5000_8000_0000_0000_0002);

/// A half-day as a client describes it.
#[derive(Debug, Clone)]
pub struct SlotInput {
    pub date: NaiveDate,
    pub period: Period,
    pub start: String,
    pub end: String,
}

/// A half-day placed in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSlot {
    pub id: Uuid,
    pub date: NaiveDate,
    pub period: Period,
    pub local_start: NaiveTime,
    pub local_end: NaiveTime,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub minutes: i32,
}

pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// `morning` or `afternoon`, as ids and messages spell it.
pub fn period_name(period: Period) -> &'static str {
    match period {
        Period::Morning => "morning",
        Period::Afternoon => "afternoon",
    }
}

pub fn slot_id(session_id: Uuid, date: NaiveDate, period: Period) -> Uuid {
    let key = format!("{session_id}/{date}/{}", period_name(period));
    Uuid::new_v5(&SLOT_NAMESPACE, key.as_bytes())
}

pub fn format_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

fn parse_time(value: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(value.trim(), "%H:%M").ok()
}

/// The UTC instant of a local wall-clock time, or why there is none.
pub fn to_utc(zone: Tz, date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, String> {
    match zone.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(earliest, _) => Ok(earliest.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{date} {} does not exist in {zone} (daylight-saving change)",
            format_time(time)
        )),
    }
}

/// Places each half-day in time, recording every problem under `slots[i].<field>`: a time that
/// is not HH:MM, an end not after its start, a morning that starts after noon or an afternoon
/// before it, two mornings (or afternoons) on one date, overlapping half-days.
pub fn plan(
    session_id: Uuid,
    zone: Tz,
    inputs: &[SlotInput],
    errors: &mut FieldErrors,
) -> Vec<PlannedSlot> {
    let mut planned: Vec<(usize, PlannedSlot)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("slots[{i}].{name}");
        let start = parse_time(&input.start);
        let end = parse_time(&input.end);
        if start.is_none() {
            errors.add(&field("start"), "must be a local time HH:MM");
        }
        if end.is_none() {
            errors.add(&field("end"), "must be a local time HH:MM");
        }
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        if end <= start {
            errors.add(&field("end"), "must be after start");
            continue;
        }
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
        let misplaced = match input.period {
            Period::Morning => start >= noon,
            Period::Afternoon => start < noon,
        };
        if misplaced {
            errors.add(
                &field("period"),
                "a morning starts before 12:00, an afternoon at 12:00 or later",
            );
        }
        let (starts_at, ends_at) = match (
            to_utc(zone, input.date, start),
            to_utc(zone, input.date, end),
        ) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(problem), _) => {
                errors.add(&field("start"), problem);
                continue;
            }
            (_, Err(problem)) => {
                errors.add(&field("end"), problem);
                continue;
            }
        };
        if planned
            .iter()
            .any(|(_, p)| p.date == input.date && p.period == input.period)
        {
            errors.add(
                &field("period"),
                format!("a second {} on {}", period_name(input.period), input.date),
            );
            continue;
        }
        let minutes = i32::try_from((ends_at - starts_at).num_minutes()).unwrap_or(i32::MAX);
        planned.push((
            i,
            PlannedSlot {
                id: slot_id(session_id, input.date, input.period),
                date: input.date,
                period: input.period,
                local_start: start,
                local_end: end,
                starts_at,
                ends_at,
                minutes,
            },
        ));
    }
    planned.sort_by_key(|(_, p)| p.starts_at);
    for pair in planned.windows(2) {
        if let [(i, earlier), (j, later)] = pair
            && later.starts_at < earlier.ends_at
        {
            errors.add(&format!("slots[{j}]"), format!("overlaps slots[{i}]"));
        }
    }
    planned.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(date: &str, period: Period, start: &str, end: &str) -> SlotInput {
        SlotInput {
            date: date.parse().unwrap(),
            period,
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn a_paris_morning_is_0800_utc_in_winter_and_0700_utc_in_summer() {
        let zone = parse_zone("Europe/Paris").unwrap();
        let mut errors = FieldErrors::new();
        let slots = plan(
            Uuid::nil(),
            zone,
            &[
                input("2027-03-27", Period::Morning, "09:00", "12:30"),
                input("2027-03-28", Period::Morning, "09:00", "12:30"),
            ],
            &mut errors,
        );
        assert!(errors.is_empty());
        assert_eq!(slots[0].starts_at.to_rfc3339(), "2027-03-27T08:00:00+00:00");
        assert_eq!(slots[1].starts_at.to_rfc3339(), "2027-03-28T07:00:00+00:00");
        assert_eq!((slots[0].minutes, slots[1].minutes), (210, 210));
    }

    #[test]
    fn a_time_inside_the_spring_forward_gap_is_refused() {
        let zone = parse_zone("Europe/Paris").unwrap();
        let mut errors = FieldErrors::new();
        plan(
            Uuid::nil(),
            zone,
            &[input("2027-03-28", Period::Morning, "02:30", "04:00")],
            &mut errors,
        );
        assert!(errors.into_map().contains_key("slots[0].start"));
    }
}
