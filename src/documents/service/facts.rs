//! What several documents print the same way: the provider and its images, dates and durations
//! in French, the issue date, and the trainee's enrolment with its session.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::{DocumentsError, Result};
use crate::catalogue::model::{Room, Session, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::documents::model::Provider;
use crate::documents::{policy, store};
use crate::enrolment::model::{Enrolment, EnrolmentStatus};
use crate::enrolment::service as enrolment;
use crate::principal::Principal;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `3 mars 2026`.
pub fn french_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// `7 h 30`, `3 h`, `0 h 45`.
pub fn french_duration(minutes: i32) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    if rest == 0 {
        format!("{hours} h")
    } else {
        format!("{hours} h {rest:02}")
    }
}

/// `1 250,00 EUR`.
pub fn french_money(cents: i64, currency: &str) -> String {
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{202F}');
        }
        grouped.push(digit);
    }
    format!("{grouped},{:02} {currency}", (cents % 100).abs())
}

/// The day a document is issued, in the session's zone (Paris when unknown).
pub fn issue_day(now: DateTime<Utc>, time_zone: &str) -> NaiveDate {
    let zone: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::Europe::Paris);
    now.with_timezone(&zone).date_naive()
}

pub fn issued_json(day: NaiveDate) -> Json {
    json!({"year": day.year(), "month": day.month(), "day": day.day(), "text": french_date(day)})
}

/// The provider's part of a document's data, and its images.
pub fn provider_json(provider: &Provider) -> (Json, Vec<(String, Vec<u8>)>) {
    let i = &provider.identity;
    let mut images = Vec::new();
    let mut key = |name: &str, png: &Option<Vec<u8>>| {
        png.as_ref().map(|bytes| {
            images.push((name.to_owned(), bytes.clone()));
            name.to_owned()
        })
    };
    let logo = key("logo", &provider.logo_png);
    let signature = key("signature", &provider.signature_png);
    let data = json!({
        "name": i.name, "address": i.address, "city": i.city, "siret": i.siret,
        "declaration_number": i.declaration_number,
        "representative_name": i.representative_name,
        "representative_title": i.representative_title,
        "email": i.email, "phone": i.phone,
        "logo": logo, "signature": signature,
    });
    (data, images)
}

/// The provider's identity, which every document prints: 409 until an administrator sets it.
pub async fn required_provider(db: &impl ConnectionTrait) -> Result<Provider> {
    store::provider(db)
        .await?
        .ok_or(DocumentsError::ProviderMissing)
}

/// `Room name, address, city` or `à distance (room)`.
pub fn place_text(room: &Room) -> String {
    if room.is_online {
        return format!("à distance ({})", room.name);
    }
    [
        Some(room.name.clone()),
        room.address.clone(),
        room.city.clone(),
        room.country.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// First and last local day of a session.
pub fn days_of(session: &Session) -> (NaiveDate, NaiveDate) {
    let first = session.slots.iter().map(|s| s.date).min();
    let last = session.slots.iter().map(|s| s.date).max();
    let today = session.created_at.date_naive();
    (first.unwrap_or(today), last.unwrap_or(today))
}

/// The first and last days of the half-days scheduled for one trainee: the session's, or for a
/// late enrolment those from their first half-day on.
pub fn trainee_days(facts: &TraineeFacts) -> (NaiveDate, NaiveDate) {
    let Some(late) = facts.enrolment.late_start else {
        return days_of(&facts.session);
    };
    let slots = &facts.session.slots;
    let first_start = slots
        .iter()
        .find(|s| s.id == late.slot_id)
        .map(|s| s.starts_at);
    let scheduled = || {
        slots
            .iter()
            .filter(move |s| late.schedules(first_start, s.starts_at))
            .map(|s| s.date)
    };
    let (whole_first, whole_last) = days_of(&facts.session);
    (
        scheduled().min().unwrap_or(whole_first),
        scheduled().max().unwrap_or(whole_last),
    )
}

/// A trainee's enrolment with its session, if the caller may get the trainee's documents.
pub struct TraineeFacts {
    pub enrolment: Enrolment,
    pub session: Session,
    pub trainee: String,
    pub employer: Option<String>,
}

/// The facts of an enrolment whose documents the caller may get; 404 otherwise.
pub async fn trainee_facts(
    db: &impl ConnectionTrait,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<TraineeFacts> {
    let enrolment = enrolment::get_enrolment(db, principal, enrolment_id).await?;
    if !policy::may_get_trainee_document(principal, enrolment.person_id, enrolment.organisation_id)
    {
        return Err(DocumentsError::EnrolmentNotFound);
    }
    facts_of(db, enrolment).await
}

/// The facts of an enrolment the caller was already allowed to see.
pub async fn facts_of(db: &impl ConnectionTrait, enrolment: Enrolment) -> Result<TraineeFacts> {
    let session = catalogue::session_details(db, enrolment.session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    let names = catalogue::person_names(db, &[enrolment.person_id]).await?;
    let trainee = names
        .get(&enrolment.person_id)
        .map(|n| format!("{} {}", n.first_name, n.last_name))
        .unwrap_or_default();
    let employer = match enrolment.organisation_id {
        Some(id) => Some(
            crate::accounts::service::get_organisation(db, &Principal::system(), id)
                .await?
                .name,
        ),
        None => None,
    };
    Ok(TraineeFacts {
        enrolment,
        session,
        trainee,
        employer,
    })
}

impl TraineeFacts {
    /// Completion documents need a closed session and a trainee who held a seat.
    pub fn require_completed(&self) -> Result<()> {
        if self.session.status != SessionStatus::Closed {
            return Err(DocumentsError::SessionNotClosed);
        }
        self.require_seat()
    }

    pub fn require_seat(&self) -> Result<()> {
        match self.enrolment.status {
            EnrolmentStatus::Confirmed | EnrolmentStatus::Completed => Ok(()),
            _ => Err(DocumentsError::NoSeat),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_amounts_print_the_french_way() {
        assert_eq!(french_duration(450), "7 h 30");
        assert_eq!(french_duration(180), "3 h");
        assert_eq!(french_money(125_000, "EUR"), "1\u{202F}250,00 EUR");
        assert_eq!(french_money(5, "EUR"), "0,05 EUR");
        let day = NaiveDate::from_ymd_opt(2026, 8, 3).unwrap_or_default();
        assert_eq!(french_date(day), "3 août 2026");
    }
}
