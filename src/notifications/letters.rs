//! From an event to the messages it makes: who is told, with which template, what the letter
//! shows (names, the session's half-days in its zone, the place or link) and what is attached
//! (the convocation PDF, an RFC 5546 invite built by the calendar context). Reads the contexts'
//! services as the system; an event whose row is gone makes no message.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::Category;
use super::render::{File, Kind, Letter};
use crate::accounts::service as accounts;
use crate::calendar::service::{
    FeedEvent, FeedRole, InviteMethod as Method, MeetingReader as Reader, Party, Site, invite,
    meeting_event, place_of, session_events,
};
use crate::catalogue::model::{Session, half_day_name};
use crate::catalogue::service as catalogue;
use crate::clubs::model::{Club, Meeting};
use crate::clubs::service as clubs;
use crate::db::outbox::Event;
use crate::documents::service as documents;
use crate::enrolment::model::Enrolment;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::quality::service as quality;

/// One message to write: to whom, with what, and the files it carries.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: Kind,
    pub category: Category,
    pub person_id: Option<Uuid>,
    pub name: String,
    pub email: String,
    pub letter: Letter,
    pub files: Vec<File>,
}

/// What drafting needs beyond the database.
#[derive(Clone)]
pub struct Desk {
    pub renderer: Arc<documents::Renderer>,
    pub site: Site,
    /// The `From` of messages, and the organiser of invites.
    pub from: Mailbox,
    /// Who signs the messages.
    pub signature: String,
    pub now: DateTime<Utc>,
}

/// Why drafting failed (the event is tried again later).
pub type DraftError = anyhow::Error;

/// The messages `event` makes.
pub async fn drafts(
    db: &impl ConnectionTrait,
    desk: &Desk,
    event: Event,
) -> Result<Vec<Draft>, DraftError> {
    use Event::*;
    Ok(match event {
        EnrolmentConfirmed(id) => {
            enrolment_letter(
                db,
                desk,
                id,
                Kind::EnrolmentConfirmed,
                Some(Method::Request),
            )
            .await?
        }
        EnrolmentPromoted(id) => {
            enrolment_letter(db, desk, id, Kind::EnrolmentPromoted, Some(Method::Request)).await?
        }
        EnrolmentCancelled(id) => {
            enrolment_letter(db, desk, id, Kind::EnrolmentCancelled, Some(Method::Cancel)).await?
        }
        ConvocationIssued(id) => convocation(db, desk, id).await?,
        SessionCancelled(id) => {
            session_letters(db, desk, id, Kind::SessionCancelled, Method::Cancel).await?
        }
        SessionMoved(id) => {
            session_letters(db, desk, id, Kind::SessionMoved, Method::Request).await?
        }
        CertificateAvailable(id) => certificate(db, desk, id).await?,
        ComplaintAcknowledged(id) => complaint(db, desk, id, Kind::ComplaintAcknowledged).await?,
        ComplaintAnswered(id) => complaint(db, desk, id, Kind::ComplaintAnswered).await?,
        MembershipAccepted(id) => membership(db, desk, id).await?,
        MeetingPlanned(id) => meeting_letters(db, desk, id, Kind::MeetingPlanned).await?,
        MeetingMoved(id) => meeting_letters(db, desk, id, Kind::MeetingMoved).await?,
        MeetingCancelled(id) => meeting_letters(db, desk, id, Kind::MeetingCancelled).await?,
        SurveyOpened(id) => survey(db, desk, id, Kind::SurveyOpened).await?,
        SurveyReminder(id) => survey(db, desk, id, Kind::SurveyReminder).await?,
    })
}

/// A person's name and address, if the person exists and is active.
async fn recipient(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Option<(String, String)>, DraftError> {
    match accounts::get_person(db, &Principal::system(), person_id).await {
        Ok(person) if person.active => Ok(Some((
            format!("{} {}", person.first_name, person.last_name),
            person.email,
        ))),
        Ok(_) | Err(accounts::AccountsError::PersonNotFound) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn base_letter(desk: &Desk, name: &str, title: &str) -> Letter {
    Letter {
        name: name.to_owned(),
        title: title.to_owned(),
        signature: desk.signature.clone(),
        ..Letter::default()
    }
}

/// The half-days of a session in its zone, and its place or link.
fn session_letter(desk: &Desk, name: &str, session: &Session) -> Letter {
    let mut letter = base_letter(desk, name, &session.training.programme.title);
    letter.when = session
        .slots
        .iter()
        .map(|slot| {
            let half = half_day_name(slot.period);
            format!(
                "{} ({half}), {}–{}",
                documents::french_date(slot.date),
                slot.local_start,
                slot.local_end
            )
        })
        .collect();
    letter.zone = session.time_zone.clone();
    let room = &session.room;
    if room.is_online {
        letter.link = room.join_url.clone();
    } else {
        letter.place = Some(place_of(room));
    }
    letter.reason = session.cancel_reason.clone();
    letter.url = Some(format!(
        "{}/api/v1/catalogue/sessions/{}",
        desk.site.public_url, session.id
    ));
    letter
}

/// The invite file of `events` for one attendee.
fn invite_file(desk: &Desk, events: &[FeedEvent], method: Method, name: &str, email: &str) -> File {
    let organiser_email = desk.from.email.to_string();
    let organiser = Party {
        name: desk.from.name.as_deref().unwrap_or("Passerelle"),
        email: &organiser_email,
    };
    let attendee = Party { name, email };
    File {
        name: "invitation.ics".to_owned(),
        content_type: format!("text/calendar; method={}; charset=UTF-8", method.as_str()),
        bytes: invite(events, method, &organiser, &attendee),
    }
}

async fn enrolment_and_session(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Enrolment, Session)>, DraftError> {
    let found = match enrolment::get_enrolment(db, &Principal::system(), id).await {
        Ok(found) => found,
        Err(enrolment::EnrolmentError::NotFound) => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    let session = catalogue::session_details(db, found.session_id).await?;
    Ok(session.map(|s| (found, s)))
}

async fn enrolment_letter(
    db: &impl ConnectionTrait,
    desk: &Desk,
    id: Uuid,
    kind: Kind,
    method: Option<Method>,
) -> Result<Vec<Draft>, DraftError> {
    let Some((found, session)) = enrolment_and_session(db, id).await? else {
        return Ok(Vec::new());
    };
    let Some((name, email)) = recipient(db, found.person_id).await? else {
        return Ok(Vec::new());
    };
    let mut letter = session_letter(desk, &name, &session);
    if kind == Kind::EnrolmentCancelled {
        letter.reason = found.cancellation.as_ref().map(|c| c.reason.clone());
    }
    let events = session_events(&session, FeedRole::Trainee, &desk.site);
    let files = method
        .map(|m| vec![invite_file(desk, &events, m, &name, &email)])
        .unwrap_or_default();
    Ok(vec![Draft {
        kind,
        category: Category::Service,
        person_id: Some(found.person_id),
        name,
        email,
        letter,
        files,
    }])
}

async fn convocation(
    db: &impl ConnectionTrait,
    desk: &Desk,
    enrolment_id: Uuid,
) -> Result<Vec<Draft>, DraftError> {
    let Some((found, session)) = enrolment_and_session(db, enrolment_id).await? else {
        return Ok(Vec::new());
    };
    let Some((name, email)) = recipient(db, found.person_id).await? else {
        return Ok(Vec::new());
    };
    let pdf =
        documents::convocation_pdf(db, &desk.renderer, &Principal::system(), enrolment_id).await?;
    let events = session_events(&session, FeedRole::Trainee, &desk.site);
    let files = vec![
        File {
            name: "convocation.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: pdf,
        },
        invite_file(desk, &events, Method::Request, &name, &email),
    ];
    Ok(vec![Draft {
        kind: Kind::ConvocationIssued,
        category: Category::Legal,
        person_id: Some(found.person_id),
        letter: session_letter(desk, &name, &session),
        name,
        email,
        files,
    }])
}

/// A message to every seat holder of the session (and, when it is cancelled, everyone waiting).
async fn session_letters(
    db: &impl ConnectionTrait,
    desk: &Desk,
    session_id: Uuid,
    kind: Kind,
    method: Method,
) -> Result<Vec<Draft>, DraftError> {
    let Some(session) = catalogue::session_details(db, session_id).await? else {
        return Ok(Vec::new());
    };
    let events = session_events(&session, FeedRole::Trainee, &desk.site);
    let mut told = enrolment::seat_holders(db, session_id).await?;
    if kind == Kind::SessionCancelled {
        // Those waiting for a seat are told too (their feed shows the half-days as tentative).
        told.extend(enrolment::waiting_for(db, session_id).await?);
    }
    let mut drafts = Vec::new();
    for holder in told {
        let Some((name, email)) = recipient(db, holder.person_id).await? else {
            continue;
        };
        drafts.push(Draft {
            kind,
            category: Category::Service,
            person_id: Some(holder.person_id),
            letter: session_letter(desk, &name, &session),
            files: vec![invite_file(desk, &events, method, &name, &email)],
            name,
            email,
        });
    }
    Ok(drafts)
}

async fn certificate(
    db: &impl ConnectionTrait,
    desk: &Desk,
    id: Uuid,
) -> Result<Vec<Draft>, DraftError> {
    let certificate = match documents::certificate_by_id(db, &Principal::system(), id).await {
        Ok((certificate, _)) => certificate,
        Err(documents::DocumentsError::CertificateNotFound) => return Ok(Vec::new()),
        Err(error) => return Err(error.into()),
    };
    let Some((name, email)) = recipient(db, certificate.person_id).await? else {
        return Ok(Vec::new());
    };
    let mut letter = base_letter(desk, &name, &certificate.content.training_title);
    letter.url = Some(format!(
        "{}/api/v1/certificates/{}/pdf",
        desk.site.public_url, certificate.id
    ));
    letter.code = Some(certificate.code.clone());
    Ok(vec![Draft {
        kind: Kind::CertificateAvailable,
        category: Category::Legal,
        person_id: Some(certificate.person_id),
        name,
        email,
        letter,
        files: Vec::new(),
    }])
}

async fn complaint(
    db: &impl ConnectionTrait,
    desk: &Desk,
    id: Uuid,
    kind: Kind,
) -> Result<Vec<Draft>, DraftError> {
    let delay = quality::AcknowledgeDelay::days(0);
    let found = match quality::get_complaint(db, &Principal::system(), id, desk.now, delay).await {
        Ok(found) => found,
        Err(quality::QualityError::ComplaintNotFound) => return Ok(Vec::new()),
        Err(error) => return Err(error.into()),
    };
    let (person_id, name, email) = match found.filed_by {
        Some(person_id) => match recipient(db, person_id).await? {
            Some((name, email)) => (Some(person_id), name, email),
            None => return Ok(Vec::new()),
        },
        None => match found.contact.trim().parse::<Mailbox>() {
            Ok(mailbox) => {
                let email = mailbox.email.to_string();
                let name = mailbox.name.clone().unwrap_or_else(|| email.clone());
                (None, name, email)
            }
            Err(_) => return Ok(Vec::new()),
        },
    };
    let received = documents::french_date(found.received_at.date_naive());
    let mut letter = base_letter(desk, &name, &received);
    letter.text = found.answer.clone();
    Ok(vec![Draft {
        kind,
        category: Category::Service,
        person_id,
        name,
        email,
        letter,
        files: Vec::new(),
    }])
}

async fn membership(
    db: &impl ConnectionTrait,
    desk: &Desk,
    id: Uuid,
) -> Result<Vec<Draft>, DraftError> {
    let Some((club, membership)) = clubs::membership_notice(db, id).await? else {
        return Ok(Vec::new());
    };
    let Some((name, email)) = recipient(db, membership.person_id).await? else {
        return Ok(Vec::new());
    };
    Ok(vec![Draft {
        kind: Kind::MembershipAccepted,
        category: Category::Service,
        person_id: Some(membership.person_id),
        letter: base_letter(desk, &name, &club.name),
        name,
        email,
        files: Vec::new(),
    }])
}

/// The meeting's time in its zone, its place or link.
fn meeting_letter(desk: &Desk, name: &str, club: &Club, meeting: &Meeting) -> Letter {
    let mut letter = base_letter(desk, name, &format!("{} – {}", club.name, meeting.title));
    let zone: chrono_tz::Tz = meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris);
    let starts = meeting.starts_at.with_timezone(&zone);
    let ends = meeting.ends_at.with_timezone(&zone);
    letter.when = vec![format!(
        "{}, {}–{}",
        documents::french_date(starts.date_naive()),
        starts.format("%H:%M"),
        ends.format("%H:%M")
    )];
    letter.zone = meeting.time_zone.clone();
    letter.place = meeting.place.clone();
    letter.link = meeting.online_url.clone();
    letter.reason = meeting.cancel_reason.clone();
    letter
}

/// A message to every active member and animator of the meeting's club.
async fn meeting_letters(
    db: &impl ConnectionTrait,
    desk: &Desk,
    meeting_id: Uuid,
    kind: Kind,
) -> Result<Vec<Draft>, DraftError> {
    let Some((club, meeting, people)) = clubs::meeting_audience(db, meeting_id).await? else {
        return Ok(Vec::new());
    };
    let method = match kind {
        Kind::MeetingCancelled => Method::Cancel,
        _ => Method::Request,
    };
    let event = meeting_event(&meeting, &club, Reader::Member, &desk.site);
    let mut drafts = Vec::new();
    for person_id in people {
        let Some((name, email)) = recipient(db, person_id).await? else {
            continue;
        };
        drafts.push(Draft {
            kind,
            category: Category::ClubNews,
            person_id: Some(person_id),
            letter: meeting_letter(desk, &name, &club, &meeting),
            files: vec![invite_file(
                desk,
                std::slice::from_ref(&event),
                method,
                &name,
                &email,
            )],
            name,
            email,
        });
    }
    Ok(drafts)
}

/// An invitation to answer a survey (opened, or reminded before its deadline while unanswered).
async fn survey(
    db: &impl ConnectionTrait,
    desk: &Desk,
    id: Uuid,
    kind: Kind,
) -> Result<Vec<Draft>, DraftError> {
    let Some(invitation) = quality::invitation_notice(db, id).await? else {
        return Ok(Vec::new());
    };
    if kind == Kind::SurveyReminder && !quality::unanswered(db, id).await? {
        return Ok(Vec::new());
    }
    let (Some(person_id), Some(session_id)) = (invitation.person_id, invitation.session_id) else {
        return Ok(Vec::new());
    };
    let Some(session) = catalogue::session_details(db, session_id).await? else {
        return Ok(Vec::new());
    };
    let Some((name, email)) = recipient(db, person_id).await? else {
        return Ok(Vec::new());
    };
    let mut letter = base_letter(desk, &name, &session.training.programme.title);
    let zone: chrono_tz::Tz = session
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris);
    let deadline = invitation.deadline.with_timezone(&zone);
    letter.when = vec![format!(
        "{} à {}",
        documents::french_date(deadline.date_naive()),
        deadline.format("%H:%M")
    )];
    letter.zone = session.time_zone.clone();
    letter.text = Some(
        match invitation.kind {
            crate::quality::model::surveys::SurveyKind::Hot => "à chaud",
            crate::quality::model::surveys::SurveyKind::Cold => "à froid",
            _ => "de bilan du formateur",
        }
        .to_owned(),
    );
    letter.url = Some(format!(
        "{}/api/v1/surveys/invitations/{}",
        desk.site.public_url, invitation.id
    ));
    Ok(vec![Draft {
        kind,
        category: match kind {
            Kind::SurveyReminder => Category::Reminder,
            _ => Category::Service,
        },
        person_id: Some(person_id),
        name,
        email,
        letter,
        files: Vec::new(),
    }])
}
