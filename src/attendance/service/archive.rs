//! Rescheduling keeps the evidence: attendance's answer to the catalogue's
//! [`SlotEvidence`](catalogue::SlotEvidence). When an administrator removes or moves half-days
//! that hold marks or a countersignature and says `keep_history`, each leaves the live sheet
//! through the synced delete (devices get a tombstone) and is kept in the attendance history as
//! an `archived` entry: `before` is its state with the half-day as it stood, `after` what became
//! of the half-day, `reason` the reschedule. [`archive`] reads them back (the API, the sheet's
//! PDF).

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr};
use serde_json::{Value, json};
use uuid::Uuid;

use super::Result;
use super::sheet::visible_session;
use crate::attendance::model::{
    Archive, ArchivedCountersignature, ArchivedHalfDay, ArchivedMark, Archiving, Event, MarkStatus,
    Period, RecordedAs,
};
use crate::attendance::store::{self, ARCHIVED, NewEvent};
use crate::catalogue::service::{self as catalogue, EvidenceFuture, Rescheduled, SlotChange};
use crate::db::write::WriteTx;
use crate::principal::Principal;

/// The attendance context's [`catalogue::SlotEvidence`]; the assembly hands it to the
/// catalogue, which never imports attendance.
pub struct MarkArchive;

impl catalogue::SlotEvidence for MarkArchive {
    fn holding<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        slot_ids: &'a [Uuid],
    ) -> EvidenceFuture<'a, Vec<Uuid>> {
        Box::pin(holding(tx, slot_ids))
    }

    fn archive<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        half_days: &'a [Rescheduled],
        by: Uuid,
    ) -> EvidenceFuture<'a, u32> {
        Box::pin(archive_evidence(tx, half_days, by))
    }
}

/// Of `slot_ids`, those holding a mark or a countersignature, in the order given.
async fn holding(tx: &mut WriteTx, slot_ids: &[Uuid]) -> std::result::Result<Vec<Uuid>, DbErr> {
    let marks = store::marks_of_slots(tx.conn(), slot_ids).await?;
    let signoffs = store::signoffs_of_slots(tx.conn(), slot_ids).await?;
    let held: BTreeSet<Uuid> = marks
        .iter()
        .map(|m| m.activity_id)
        .chain(signoffs.iter().map(|s| s.id))
        .collect();
    Ok(slot_ids
        .iter()
        .copied()
        .filter(|id| held.contains(id))
        .collect())
}

/// Archives the marks and countersignatures of these half-days. The catalogue holds the
/// session's lock, which every attendance write takes first, so none is written meanwhile.
async fn archive_evidence(
    tx: &mut WriteTx,
    half_days: &[Rescheduled],
    by: Uuid,
) -> std::result::Result<u32, DbErr> {
    let mut archived = 0;
    for rescheduled in half_days {
        let slot = &rescheduled.slot;
        let half_day = half_day_json(rescheduled);
        let after = change_json(rescheduled.change);
        let reason = reason_of(rescheduled);
        for row in store::marks_of_slots(tx.conn(), &[slot.id]).await? {
            let mut before = super::snapshot(&row);
            before["slot_id"] = json!(row.activity_id);
            before["person_id"] = json!(row.person_id);
            before["half_day"] = half_day.clone();
            let subject = ("mark", row.context_id, row.id);
            store::delete_mark(tx, row).await?;
            record_archived(tx, subject, by, before, &after, &reason).await?;
            archived += 1;
        }
        for row in store::signoffs_of_slots(tx.conn(), &[slot.id]).await? {
            let before = json!({
                "trainer_id": row.trainer_id,
                "signature_sha256": row.signature_sha256,
                "signed_at": instant(row.signed_at),
                "received_at": row.received_at.map(instant),
                "reopened": row.reopened_at.is_some(),
                "half_day": half_day.clone(),
            });
            let subject = ("slot", row.session_id, row.id);
            store::delete_signoff(tx, row).await?;
            record_archived(tx, subject, by, before, &after, &reason).await?;
            archived += 1;
        }
    }
    Ok(archived)
}

/// Logs that a piece of evidence — `(subject, context id, subject id)` — was archived: what it
/// was, what became of its half-day, why and by whom.
async fn record_archived(
    tx: &mut WriteTx,
    (subject, context_id, subject_id): (&'static str, Uuid, Uuid),
    by: Uuid,
    before: Value,
    after: &Value,
    reason: &str,
) -> std::result::Result<(), DbErr> {
    let event = NewEvent {
        context_id,
        subject,
        subject_id,
        action: ARCHIVED,
        by,
        before: Some(before),
        after: Some(after.clone()),
        reason: Some(reason),
    };
    store::record(tx, event).await
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn half_day_json(rescheduled: &Rescheduled) -> Value {
    let slot = &rescheduled.slot;
    json!({
        "date": slot.date.to_string(),
        "period": slot.period.to_value(),
        "local_start": slot.local_start,
        "local_end": slot.local_end,
        "starts_at": instant(slot.starts_at),
        "ends_at": instant(slot.ends_at),
    })
}

fn change_json(change: SlotChange) -> Value {
    match change {
        SlotChange::Removed => json!({ "half_day": "removed" }),
        SlotChange::Moved { starts_at, ends_at } => json!({
            "half_day": "moved",
            "starts_at": instant(starts_at),
            "ends_at": instant(ends_at),
        }),
    }
}

fn reason_of(rescheduled: &Rescheduled) -> String {
    let slot = &rescheduled.slot;
    let what = format!(
        "rescheduled: the half-day of {} ({}, {}–{})",
        slot.date,
        slot.period.to_value(),
        slot.local_start,
        slot.local_end
    );
    match rescheduled.change {
        SlotChange::Removed => format!("{what} was removed"),
        SlotChange::Moved { starts_at, ends_at } => format!(
            "{what} was moved to {}–{}",
            instant(starts_at),
            instant(ends_at)
        ),
    }
}

/// What reschedules took off a session's sheet, for its trainers and administrators (404
/// otherwise).
pub async fn archive(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Archive> {
    visible_session(db, principal, session_id).await?;
    archive_of_session(db, session_id).await
}

/// What reschedules took off a session's sheet, for a caller that checked who may see it (the
/// sheet's PDF).
pub async fn archive_of_session(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Archive> {
    let events = store::archived_events(db, session_id).await?;
    let people: Vec<Uuid> = events
        .iter()
        .filter_map(|e| uuid_at(e.before.as_ref()?, "person_id"))
        .collect();
    let names = catalogue::person_names(db, &people).await?;
    let mut archive = Archive::default();
    for event in events {
        match event.subject.as_str() {
            "mark" => {
                if let Some(mut mark) = archived_mark(&event) {
                    if let Some(name) = names.get(&mark.person_id) {
                        mark.first_name.clone_from(&name.first_name);
                        mark.last_name.clone_from(&name.last_name);
                    }
                    archive.marks.push(mark);
                }
            }
            "slot" => archive.countersignatures.extend(archived_signoff(&event)),
            _ => {}
        }
    }
    Ok(archive)
}

fn archived_mark(event: &Event) -> Option<ArchivedMark> {
    let before = event.before.as_ref()?;
    Some(ArchivedMark {
        mark_id: event.subject_id,
        person_id: uuid_at(before, "person_id")?,
        first_name: String::new(),
        last_name: String::new(),
        half_day: half_day_of(event)?,
        status: MarkStatus::try_from_value(&before["status"].as_str()?.to_owned()).ok()?,
        late_minutes: before["late_minutes"]
            .as_i64()
            .and_then(|m| i32::try_from(m).ok()),
        signature_sha256: before["signature_sha256"].as_str().map(str::to_owned),
        signed_at: before["signed_at"].as_str().and_then(parse_instant),
        recorded_by: uuid_at(before, "recorded_by")?,
        recorded_as: RecordedAs::try_from_value(&before["recorded_as"].as_str()?.to_owned())
            .ok()?,
        archiving: archiving_of(event),
    })
}

fn archived_signoff(event: &Event) -> Option<ArchivedCountersignature> {
    let before = event.before.as_ref()?;
    Some(ArchivedCountersignature {
        trainer_id: uuid_at(before, "trainer_id")?,
        half_day: half_day_of(event)?,
        signature_sha256: before["signature_sha256"].as_str()?.to_owned(),
        signed_at: parse_instant(before["signed_at"].as_str()?)?,
        archiving: archiving_of(event),
    })
}

fn archiving_of(event: &Event) -> Archiving {
    Archiving {
        by: event.by,
        at: event.at,
        reason: event.reason.clone().unwrap_or_default(),
    }
}

fn half_day_of(event: &Event) -> Option<ArchivedHalfDay> {
    let slot_id = match event.subject.as_str() {
        "slot" => event.subject_id,
        _ => uuid_at(event.before.as_ref()?, "slot_id")?,
    };
    let half_day = &event.before.as_ref()?["half_day"];
    let after = event.after.as_ref();
    let moved_to = after.filter(|a| a["half_day"] == "moved").and_then(|a| {
        Some((
            parse_instant(a["starts_at"].as_str()?)?,
            parse_instant(a["ends_at"].as_str()?)?,
        ))
    });
    Some(ArchivedHalfDay {
        slot_id,
        date: half_day["date"].as_str()?.parse::<NaiveDate>().ok()?,
        period: Period::try_from_value(&half_day["period"].as_str()?.to_owned()).ok()?,
        local_start: half_day["local_start"].as_str()?.to_owned(),
        local_end: half_day["local_end"].as_str()?.to_owned(),
        starts_at: parse_instant(half_day["starts_at"].as_str()?)?,
        ends_at: parse_instant(half_day["ends_at"].as_str()?)?,
        moved_to,
    })
}

fn uuid_at(value: &Value, key: &str) -> Option<Uuid> {
    value[key].as_str()?.parse().ok()
}

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
