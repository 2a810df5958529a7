//! The feuille d'émargement of a session, for its trainers and administrators: each half-day
//! with its local date and hours, each trainee's signature image or status, the trainer's
//! countersignature per half-day, the results of the session's checks, and an audit page: for
//! every signature, the declared signing time beside when the server received it (and the
//! device's clock offset), and every administrator's correction with its reason.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::facts;
use super::{DocumentsError, Result};
use crate::attendance::model::{
    Archive, ArchivedHalfDay, DeviceWitness, Event, Mark, MarkStatus, Sheet, SheetSlot, Timing,
    mark_id,
};
use crate::attendance::service as attendance;
use crate::catalogue::model::Theme;
use crate::catalogue::service as catalogue;
use crate::documents::render::{Job, Renderer, Template};
use crate::principal::Principal;

/// The session's attendance sheet as it stands, issued on the day of `now` (its trainers and
/// administrators; anyone else gets 404).
pub async fn sheet_pdf(
    db: &impl ConnectionTrait,
    renderer: &Arc<Renderer>,
    now: DateTime<Utc>,
    timing: Timing,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<u8>> {
    let sheet = attendance::sheet(db, principal, session_id).await?;
    let archive = attendance::archive_of_session(db, session_id).await?;
    let flags = attendance::checks(db, principal, timing, session_id).await?;
    let history = attendance::session_history(db, principal, session_id).await?;
    let session = catalogue::session_details(db, session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    let provider = facts::required_provider(db).await?;
    let hashes = signature_hashes(&sheet);
    let mut pngs = attendance::signature_images(db, &hashes).await?;
    let (provider_data, mut images) = facts::provider_json(&provider);
    let mut image_key = |sha: Option<&String>| -> Option<String> {
        let sha = sha?;
        let key = format!("sig-{sha}");
        if let Some(png) = pngs.remove(sha) {
            images.push((key.clone(), png));
        }
        images.iter().any(|(k, _)| *k == key).then_some(key)
    };
    let trainer_names: std::collections::HashMap<Uuid, String> = session
        .trainers
        .iter()
        .map(|t| (t.id, format!("{} {}", t.first_name, t.last_name)))
        .collect();
    let rows: Vec<Json> = sheet
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<Json> = row
                .marks
                .iter()
                .map(|mark| {
                    let image = mark
                        .as_ref()
                        .and_then(|m| image_key(m.signature_sha256.as_ref()));
                    json!({"image": image, "note": mark_note(mark.as_ref())})
                })
                .collect();
            json!({
                "name": format!("{} {}", row.first_name, row.last_name),
                "attended": format!(
                    "{} / {}",
                    facts::french_duration(row.attended_minutes),
                    facts::french_duration(row.scheduled_minutes)
                ),
                "cells": cells,
            })
        })
        .collect();
    let signoffs: Vec<Json> = sheet
        .slots
        .iter()
        .map(|slot| match &slot.signoff {
            Some(s) => json!({
                "image": image_key(Some(&s.signature_sha256)),
                "note": trainer_names.get(&s.trainer_id).cloned().unwrap_or_default(),
            }),
            None => json!({"image": null, "note": "non contresigné"}),
        })
        .collect();
    let slots: Vec<Json> = sheet
        .slots
        .iter()
        .map(|s| {
            json!({
                "date": s.date.format("%d/%m/%Y").to_string(),
                "period": crate::catalogue::model::half_day_name(s.period),
                "start": s.local_start, "end": s.local_end,
            })
        })
        .collect();
    let programme = &session.training.programme;
    let issued = facts::issue_day(now, &session.time_zone);
    let data = json!({
        "provider": provider_data,
        "issued": facts::issued_json(issued),
        "title": programme.title,
        "modules": programme.themes.iter().map(|t| theme_label(*t)).collect::<Vec<_>>().join(", "),
        "place": facts::place_text(&session.room),
        "time_zone": sheet.time_zone,
        "trainers": trainer_names.values().cloned().collect::<Vec<_>>().join(", "),
        "slots": slots,
        "rows": rows,
        "signoffs": signoffs,
        "checks": flags.iter().map(|f| f.message.clone()).collect::<Vec<_>>(),
        "witness": witness_lines(&sheet, &trainer_names),
        "corrections": corrections(db, &sheet, &history).await?,
        "archived": archived_lines(&archive, &trainer_names, &sheet.time_zone),
    });
    Ok(renderer
        .render(Job {
            template: Template::Sheet,
            data,
            images,
            ident: format!("sheet:{session_id}"),
        })
        .await?)
}

/// A time as the sheet prints it: local, to the minute (seconds when they tell something).
fn local(at: DateTime<Utc>, zone: &str) -> String {
    let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Europe::Paris);
    at.with_timezone(&zone)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

fn slot_label(slot: &SheetSlot) -> String {
    let period = crate::catalogue::model::half_day_name(slot.period);
    format!("{} {period}", slot.date.format("%d/%m/%Y"))
}

/// One line per signature on the sheet: who, which half-day, the declared signing time, the
/// server's receipt, and the device's clock offset when a device recorded it.
fn witness_lines(
    sheet: &Sheet,
    trainer_names: &std::collections::HashMap<Uuid, String>,
) -> Vec<Json> {
    let zone = sheet.time_zone.as_str();
    let device_note = |device: Option<DeviceWitness>| match device {
        None => "en ligne".to_owned(),
        Some(d) => match d.clock_offset_ms {
            Some(ms) => format!("appareil, horloge {:+} s", ms / 1000),
            None => "appareil, horloge non déclarée".to_owned(),
        },
    };
    let mut lines = Vec::new();
    for row in &sheet.rows {
        for (slot, mark) in sheet.slots.iter().zip(&row.marks) {
            let Some(mark) = mark.as_ref().filter(|m| m.signature_sha256.is_some()) else {
                continue;
            };
            lines.push(json!({
                "who": format!("{} {}", row.first_name, row.last_name),
                "slot": slot_label(slot),
                "status": mark_note(Some(mark)),
                "signed": mark.signed_at.map(|t| local(t, zone)).unwrap_or_default(),
                "received": local(mark.received_at, zone),
                "device": device_note(mark.device),
            }));
        }
    }
    for slot in &sheet.slots {
        if let Some(s) = &slot.signoff {
            lines.push(json!({
                "who": trainer_names.get(&s.trainer_id).cloned().unwrap_or_default(),
                "slot": slot_label(slot),
                "status": "contreseing",
                "signed": local(s.signed_at, zone),
                "received": local(s.received_at, zone),
                "device": device_note(s.device),
            }));
        }
    }
    lines
}

/// Every administrator's correction of a mark, with who made it, when and why.
async fn corrections(
    db: &impl ConnectionTrait,
    sheet: &Sheet,
    history: &[Event],
) -> Result<Vec<Json>> {
    let corrections: Vec<&Event> = history.iter().filter(|e| e.action == "correct").collect();
    let authors: Vec<Uuid> = corrections.iter().map(|e| e.by).collect();
    let names = catalogue::person_names(db, &authors).await?;
    let name_of = |id: Uuid| {
        names
            .get(&id)
            .map(|n| format!("{} {}", n.first_name, n.last_name))
            .unwrap_or_default()
    };
    let marks: std::collections::HashMap<Uuid, (String, String)> = sheet
        .rows
        .iter()
        .flat_map(|row| {
            sheet.slots.iter().map(move |slot| {
                (
                    mark_id(slot.id, row.person_id),
                    (
                        format!("{} {}", row.first_name, row.last_name),
                        slot_label(slot),
                    ),
                )
            })
        })
        .collect();
    let status_of = |state: Option<&Json>| {
        state
            .and_then(|s| s["status"].as_str())
            .unwrap_or("—")
            .to_owned()
    };
    Ok(corrections
        .into_iter()
        .map(|e| {
            let (who, slot) = marks.get(&e.subject_id).cloned().unwrap_or_default();
            json!({
                "at": local(e.at, &sheet.time_zone),
                "by": name_of(e.by),
                "who": who,
                "slot": slot,
                "change": format!("{} → {}", status_of(e.before.as_ref()), status_of(e.after.as_ref())),
                "reason": e.reason.clone().unwrap_or_default(),
            })
        })
        .collect())
}

/// One line per mark or countersignature a reschedule took off the sheet (audit section).
fn archived_lines(
    archive: &Archive,
    trainers: &std::collections::HashMap<Uuid, String>,
    zone: &str,
) -> Vec<String> {
    let half_day = |h: &ArchivedHalfDay| {
        let period = crate::catalogue::model::half_day_name(h.period);
        let change = match h.moved_to {
            Some(_) => "déplacée",
            None => "supprimée",
        };
        format!(
            "{} {period} ({}–{}), demi-journée {change}",
            h.date.format("%d/%m/%Y"),
            h.local_start,
            h.local_end
        )
    };
    let when = |at: DateTime<Utc>| local(at, zone);
    let marks = archive.marks.iter().map(|m| {
        let signed = m
            .signed_at
            .map(|at| format!(", signé le {}", when(at)))
            .unwrap_or_default();
        format!(
            "{} {} — {} : {}{signed} — archivé le {}",
            m.first_name,
            m.last_name,
            half_day(&m.half_day),
            status_note(m.status, m.late_minutes),
            when(m.archiving.at)
        )
    });
    let countersignatures = archive.countersignatures.iter().map(|c| {
        format!(
            "Contreseing de {} — {} : signé le {} — archivé le {}",
            trainers.get(&c.trainer_id).cloned().unwrap_or_default(),
            half_day(&c.half_day),
            when(c.signed_at),
            when(c.archiving.at)
        )
    });
    marks.chain(countersignatures).collect()
}

fn signature_hashes(sheet: &Sheet) -> Vec<String> {
    let mut hashes: Vec<String> = sheet
        .rows
        .iter()
        .flat_map(|r| r.marks.iter().flatten())
        .filter_map(|m| m.signature_sha256.clone())
        .chain(
            sheet
                .slots
                .iter()
                .filter_map(|s| s.signoff.as_ref().map(|o| o.signature_sha256.clone())),
        )
        .collect();
    hashes.sort();
    hashes.dedup();
    hashes
}

fn mark_note(mark: Option<&Mark>) -> String {
    match mark {
        None => "—".into(),
        Some(m) => status_note(m.status, m.late_minutes),
    }
}

fn status_note(status: MarkStatus, late_minutes: Option<i32>) -> String {
    match status {
        MarkStatus::Present => "présent".into(),
        MarkStatus::Late => format!("retard {} min", late_minutes.unwrap_or(0)),
        MarkStatus::Absent => "absent".into(),
        MarkStatus::Excused => "excusé".into(),
    }
}

fn theme_label(theme: Theme) -> &'static str {
    match theme {
        Theme::ProjectFunding => "financement de projets",
        Theme::Management => "management",
        Theme::EconomicModels => "modèles économiques",
        Theme::AssociativeStrategy => "stratégie associative",
        Theme::FinancialManagement => "gestion financière",
        Theme::Communication => "communication",
        Theme::HumanResources => "ressources humaines",
    }
}
