//! A trainee's attestation de fin de formation and convocation, rendered on request from what
//! is stored (the convocation from its issued content, so it says what it said then).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::facts;
use super::{DocumentsError, Result};
use crate::attendance::service as attendance;
use crate::documents::render::{Job, Renderer, Template};
use crate::documents::store;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;

/// The attestation de fin de formation (L. 6353-1): objectives, nature, duration, and the
/// assessment's result — overall and per objective — when the programme planned an assessment;
/// issued on the day of `now`.
pub async fn attestation_pdf(
    db: &impl ConnectionTrait,
    renderer: &Arc<Renderer>,
    now: DateTime<Utc>,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<Vec<u8>> {
    let facts = facts::trainee_facts(db, principal, enrolment_id).await?;
    facts.require_completed()?;
    let provider = facts::required_provider(db).await?;
    let sheet = attendance::build_sheet(db, &facts.session).await?;
    let row = sheet
        .rows
        .iter()
        .find(|r| r.enrolment_id == enrolment_id)
        .ok_or(DocumentsError::NoSeat)?;
    let programme = &facts.session.training.programme;
    let assessment = if programme.assessment_modalities.trim().is_empty() {
        serde_json::Value::Null
    } else {
        let recorded = store::assessment(db, enrolment_id).await?;
        let objectives = recorded.as_ref().map_or_else(Vec::new, |a| {
            a.objectives
                .iter()
                .map(|o| {
                    json!({
                        "wording": o.wording,
                        "result": o.result.french(),
                        "comment": o.comment,
                    })
                })
                .collect()
        });
        json!({
            "modalities": programme.assessment_modalities,
            "result": recorded.as_ref().map_or("non communiqué", |a| a.result.french()),
            "comment": recorded.map(|a| a.comment).unwrap_or_default(),
            "objectives": objectives,
        })
    };
    let (first_day, last_day) = facts::trainee_days(&facts);
    let issued = facts::issue_day(now, &facts.session.time_zone);
    let (provider_data, images) = facts::provider_json(&provider);
    let data = json!({
        "provider": provider_data,
        "issued": facts::issued_json(issued),
        "trainee": facts.trainee,
        "employer": facts.employer.clone().unwrap_or_default(),
        "title": programme.title,
        "objectives": programme.objectives,
        "first_day": facts::french_date(first_day),
        "last_day": facts::french_date(last_day),
        "duration": facts::french_duration(row.attended_minutes),
        "planned_duration": facts::french_duration(row.scheduled_minutes),
        "assessment": assessment,
    });
    Ok(renderer
        .render(Job {
            template: Template::Attestation,
            data,
            images,
            ident: format!("attestation:{enrolment_id}"),
        })
        .await?)
}

/// The issued convocation as a PDF, for whoever may see the enrolment.
pub async fn convocation_pdf(
    db: &impl ConnectionTrait,
    renderer: &Arc<Renderer>,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<Vec<u8>> {
    let convocation = enrolment::convocation(db, principal, enrolment_id).await?;
    let provider = facts::required_provider(db).await?;
    let enrolment = enrolment::get_enrolment(db, principal, enrolment_id).await?;
    let facts = facts::facts_of(db, enrolment).await?;
    let c = &convocation.content;
    let contact = |p: &crate::enrolment::model::ConvocationContact| {
        [Some(p.name.clone()), Some(p.email.clone()), p.phone.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let address = [&c.place.address, &c.place.city, &c.place.country]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let issued = facts::issue_day(convocation.issued_at, &c.time_zone);
    let (provider_data, images) = facts::provider_json(&provider);
    let data = json!({
        "provider": provider_data,
        "issued": facts::issued_json(issued),
        "trainee": facts.trainee,
        "title": c.training_title,
        "time_zone": c.time_zone,
        "place": {
            "online": c.place.online, "name": c.place.name, "address": address,
            "join_url": c.place.join_url.clone().unwrap_or_default(),
        },
        "half_days": c.half_days.iter().map(|h| json!({
            "date": facts::french_date(h.date), "start": h.start, "end": h.end,
        })).collect::<Vec<_>>(),
        "contact": contact(&c.contact),
        "disability_referent": contact(&c.disability_referent),
        "access": c.access,
        "rules_url": c.rules_url.clone().unwrap_or_default(),
    });
    Ok(renderer
        .render(Job {
            template: Template::Convocation,
            data,
            images,
            ident: format!("convocation:{enrolment_id}:{}", convocation.issued_at),
        })
        .await?)
}
