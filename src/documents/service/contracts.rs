//! The quote and the convention (or, for a person paying for themselves, the contrat) de
//! formation of an enrolment: parties, action, dates, hours, price and payment terms.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::Result;
use super::facts::{self, TraineeFacts};
use crate::catalogue::model::Modality;
use crate::documents::model::Provider;
use crate::documents::render::{Job, Renderer, Template};
use crate::enrolment::model::EnrolmentStatus;
use crate::principal::Principal;

/// Which contract document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractKind {
    Quote,
    Convention,
}

/// Days a quote holds.
const QUOTE_VALIDITY_DAYS: i64 = 30;

/// The enrolment's quote or convention (the trainee, their organisation's manager,
/// administrators; not for a cancelled enrolment), issued on the day of `now`.
pub async fn contract_pdf(
    db: &impl ConnectionTrait,
    renderer: &Arc<Renderer>,
    now: DateTime<Utc>,
    principal: &Principal,
    enrolment_id: Uuid,
    kind: ContractKind,
) -> Result<Vec<u8>> {
    let facts = facts::trainee_facts(db, principal, enrolment_id).await?;
    if facts.enrolment.status == EnrolmentStatus::Cancelled {
        return Err(super::DocumentsError::NoSeat);
    }
    let provider = facts::required_provider(db).await?;
    let issued = facts::issue_day(now, &facts.session.time_zone);
    let (data, images) = contract_data(&provider, &facts, issued, kind);
    let template = match kind {
        ContractKind::Quote => Template::Quote,
        ContractKind::Convention => Template::Convention,
    };
    Ok(renderer
        .render(Job {
            template,
            data,
            images,
            ident: format!("{kind:?}:{enrolment_id}"),
        })
        .await?)
}

fn contract_data(
    provider: &Provider,
    facts: &TraineeFacts,
    issued: chrono::NaiveDate,
    kind: ContractKind,
) -> (Json, Vec<(String, Vec<u8>)>) {
    let e = &facts.enrolment;
    let programme = &facts.session.training.programme;
    let (first_day, last_day) = facts::days_of(&facts.session);
    let individual = facts.employer.is_none();
    let client = match &facts.employer {
        Some(name) => json!({"name": name, "detail": "employeur du stagiaire"}),
        None => {
            json!({"name": facts.trainee, "detail": "personne physique finançant sa formation"})
        }
    };
    let prefix = match kind {
        ContractKind::Quote => "D",
        ContractKind::Convention => "C",
    };
    let number = format!(
        "{prefix}-{}-{}",
        issued.format("%Y"),
        &e.id.simple().to_string()[..8].to_uppercase()
    );
    let funding = match e.funding_amount_cents {
        Some(cents) => format!(
            "{} — {}",
            funding_label(e.funding_source),
            facts::french_money(cents, &e.price_currency)
        ),
        None => funding_label(e.funding_source).to_owned(),
    };
    let (provider_data, images) = facts::provider_json(provider);
    let data = json!({
        "provider": provider_data,
        "issued": facts::issued_json(issued),
        "kind": if individual { "Contrat de formation professionnelle" } else { "Convention de formation professionnelle" },
        "individual": individual,
        "number": number,
        "client": client,
        "trainee": facts.trainee,
        "title": programme.title,
        "objectives": programme.objectives,
        "modality": match programme.modality {
            Modality::InPerson => "en présentiel",
            Modality::Remote => "à distance",
            Modality::Hybrid => "en présentiel et à distance",
        },
        "first_day": facts::french_date(first_day),
        "last_day": facts::french_date(last_day),
        "planned_duration": facts::french_duration(facts.session.planned_minutes),
        "place": facts::place_text(&facts.session.room),
        "price": facts::french_money(e.price_cents, &e.price_currency),
        "price_note": "exonéré de TVA, article 261-4-4° du CGI",
        "funding": funding,
        "payment_terms": if provider.identity.payment_terms.is_empty() {
            "À réception de facture, à l'issue de la formation.".to_owned()
        } else {
            provider.identity.payment_terms.clone()
        },
        "valid_until": facts::french_date(issued + Duration::days(QUOTE_VALIDITY_DAYS)),
    });
    (data, images)
}

fn funding_label(source: entity::status::FundingSource) -> &'static str {
    use entity::status::FundingSource as F;
    match source {
        F::Opco => "prise en charge par l'OPCO",
        F::Employer => "à la charge de l'employeur",
        F::Individual => "à la charge du stagiaire",
        F::Public => "financement public",
        F::Other => "autre financement",
    }
}
