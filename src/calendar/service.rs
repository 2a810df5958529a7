//! The feeds: which sessions each shows, for whom, and personal tokens.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::blocks::Blocks;
/// What notifications use to invite people by e-mail with the feeds' own events.
pub use super::events::{Role as FeedRole, Site, place_of, session_events};
use super::events::{Role, window};
pub use super::feed::FeedEvent;
use super::feed::{Feed, to_ics};
pub use super::invite::{Method as InviteMethod, Party, invite};
use super::meetings::{self, Reader};
pub use super::meetings::{Reader as MeetingReader, meeting_event};
use super::store;
use crate::catalogue::model::CalendarScope;
use crate::catalogue::service as catalogue;
use crate::clubs::model::{Club, Meeting};
use crate::clubs::service as clubs;
use crate::enrolment::model::EnrolmentStatus;
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::refusal::{Kind, Refusal};

/// Everything that can go wrong with calendars.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("no such calendar feed")]
    FeedNotFound,
    #[error(transparent)]
    Catalogue(catalogue::CatalogueError),
    #[error(transparent)]
    Clubs(clubs::ClubsError),
    #[error(transparent)]
    Enrolment(enrolment::EnrolmentError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl CalendarError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &["calendar.feed_not_found"];
}

impl Refusal for CalendarError {
    fn code(&self) -> Option<&'static str> {
        match self {
            Self::FeedNotFound => Some("calendar.feed_not_found"),
            Self::Catalogue(error) => error.code(),
            Self::Clubs(error) => error.code(),
            Self::Enrolment(error) => error.code(),
            Self::Db(_) => None,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Self::FeedNotFound => Kind::NotFound,
            Self::Catalogue(error) => error.kind(),
            Self::Clubs(error) => error.kind(),
            Self::Enrolment(error) => error.kind(),
            Self::Db(_) => Kind::Internal,
        }
    }

    fn fields(&self) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
        match self {
            Self::Catalogue(error) => error.fields(),
            Self::Clubs(error) => error.fields(),
            Self::Enrolment(error) => error.fields(),
            _ => None,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            Self::Catalogue(error) => error.db(),
            Self::Clubs(error) => error.db(),
            Self::Enrolment(error) => error.db(),
            _ => None,
        }
    }
}

/// Whether another context's refusal means the feed's subject is missing or not the caller's.
fn hidden(error: &impl Refusal) -> bool {
    matches!(error.kind(), Kind::NotFound | Kind::Forbidden)
}

impl From<catalogue::CatalogueError> for CalendarError {
    fn from(error: catalogue::CatalogueError) -> Self {
        match error {
            catalogue::CatalogueError::Db(db) => Self::Db(db),
            // A feed whose subject is missing or hidden does not exist.
            other if hidden(&other) => Self::FeedNotFound,
            other => Self::Catalogue(other),
        }
    }
}

impl From<clubs::ClubsError> for CalendarError {
    fn from(error: clubs::ClubsError) -> Self {
        match error {
            clubs::ClubsError::Db(db) => Self::Db(db),
            other if hidden(&other) => Self::FeedNotFound,
            other => Self::Clubs(other),
        }
    }
}

impl From<enrolment::EnrolmentError> for CalendarError {
    fn from(error: enrolment::EnrolmentError) -> Self {
        match error {
            enrolment::EnrolmentError::Db(db) => Self::Db(db),
            other => Self::Enrolment(other),
        }
    }
}

pub type Result<T> = std::result::Result<T, CalendarError>;

/// A rendered feed: its bytes, its `Last-Modified`, and until when it holds without a write.
#[derive(Debug)]
pub struct RenderedFeed {
    pub ics: Vec<u8>,
    pub last_modified: DateTime<Utc>,
    pub fresh_until: Option<DateTime<Utc>>,
}

fn rendered(
    name: String,
    description: String,
    sessions: &[(crate::catalogue::model::Session, Role)],
    meetings: &[(Meeting, Club)],
    site: &Site,
    now: DateTime<Utc>,
    extra_changes: Vec<DateTime<Utc>>,
) -> RenderedFeed {
    let (mut events, mut last_modified, mut fresh_until) =
        window(sessions, site, now, extra_changes);
    let (club_events, club_modified, club_fresh) =
        meetings::window(meetings, Reader::Member, site, now);
    events.extend(club_events);
    events.sort_by(|a, b| (a.starts_at, &a.uid).cmp(&(b.starts_at, &b.uid)));
    last_modified = last_modified.max(club_modified);
    fresh_until = match (fresh_until, club_fresh) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let feed = Feed {
        name,
        description,
        events,
    };
    RenderedFeed {
        ics: to_ics(&feed),
        last_modified,
        fresh_until,
    }
}

/// Every half-day of every published training's sessions: upcoming, recent (30 days), and
/// cancelled ones for 30 days, flagged.
pub async fn catalogue_feed(
    db: &impl ConnectionTrait,
    blocks: &Blocks,
    site: &Site,
    now: DateTime<Utc>,
) -> Result<RenderedFeed> {
    let texts = (
        "Passerelle – formations",
        "Les demi-journées de toutes les sessions de formation publiées.",
    );
    blocks
        .public_feed(db, site, &CalendarScope::Published, texts, now, Vec::new())
        .await
}

/// The half-days of one published training's sessions.
pub async fn training_feed(
    db: &impl ConnectionTrait,
    blocks: &Blocks,
    site: &Site,
    training_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RenderedFeed> {
    let training = catalogue::public_training(db, training_id).await?;
    let title = &training.programme.title;
    let name = format!("Passerelle – {title}");
    let description = format!("Les demi-journées des sessions de la formation « {title} ».");
    blocks
        .public_feed(
            db,
            site,
            &CalendarScope::Training(training_id),
            (&name, &description),
            now,
            vec![training.updated_at],
        )
        .await
}

/// A public club's meetings (an active club whose calendar is public; others are not found),
/// without their online links.
pub async fn club_feed(
    db: &impl ConnectionTrait,
    site: &Site,
    club_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RenderedFeed> {
    let (club, meetings) = clubs::public_club_meetings(db, club_id).await?;
    let with_club: Vec<(Meeting, Club)> = meetings.into_iter().map(|m| (m, club.clone())).collect();
    let (events, last_modified, fresh_until) =
        meetings::window(&with_club, Reader::Public, site, now);
    let feed = Feed {
        name: format!("Passerelle – club {}", club.name),
        description: format!("Les réunions du club métier « {} ».", club.name),
        events,
    };
    Ok(RenderedFeed {
        ics: to_ics(&feed),
        last_modified: last_modified.max(club.updated_at),
        fresh_until,
    })
}

/// A person's own calendar: the half-days of the sessions they are enrolled in (waitlisted ones
/// tentative) and of those they teach, and the meetings of their clubs (with the online links).
/// Nobody else's sessions, no names, no e-mails.
pub async fn personal_feed(
    db: &impl ConnectionTrait,
    site: &Site,
    person_id: Uuid,
    now: DateTime<Utc>,
) -> Result<RenderedFeed> {
    let enrolments = enrolment::enrolments_of_person(db, person_id).await?;
    let taught = catalogue::sessions_taught_by(db, person_id).await?;
    let mut roles: std::collections::BTreeMap<Uuid, Role> = std::collections::BTreeMap::new();
    for e in &enrolments {
        let role = match e.status {
            EnrolmentStatus::Confirmed | EnrolmentStatus::Completed => Role::Trainee,
            EnrolmentStatus::Waitlisted => Role::Waitlisted,
            EnrolmentStatus::Cancelled => continue,
        };
        roles.insert(e.session_id, role);
    }
    for id in taught {
        roles.insert(id, Role::Trainer);
    }
    let ids: Vec<Uuid> = roles.keys().copied().collect();
    let sessions = catalogue::calendar_sessions(db, &CalendarScope::Sessions(ids)).await?;
    let sessions: Vec<_> = sessions
        .into_iter()
        .filter_map(|s| Some((roles.get(&s.id).copied()?, s)))
        .map(|(role, s)| (s, role))
        .collect();
    let (meetings, membership_changes) = clubs::meetings_of_person(db, person_id).await?;
    // A cancelled enrolment (or a club left) removes its events: its date keeps Last-Modified
    // moving forward.
    let changes = enrolments
        .iter()
        .map(|e| e.updated_at)
        .chain(membership_changes)
        .collect();
    Ok(rendered(
        "Passerelle – mon agenda".into(),
        "Mes formations, celles où je suis sur liste d'attente, celles que j'anime et les \
         réunions de mes clubs."
            .into(),
        &sessions,
        &meetings,
        site,
        now,
        changes,
    ))
}

/// A personal token and its feed's URLs.
#[derive(Debug, Clone)]
pub struct FeedToken {
    pub token: String,
    pub https_url: String,
    pub webcal_url: String,
    pub created_at: DateTime<Utc>,
}

impl FeedToken {
    fn of(token: String, created_at: DateTime<Utc>, site: &Site) -> Self {
        let path = format!("/calendar/personal/{token}.ics");
        Self {
            https_url: format!("{}{path}", site.public_url),
            webcal_url: crate::http::links::webcal(&site.public_url, &path),
            token,
            created_at,
        }
    }
}

/// A new token: `cal_` and 256 random bits, with its SHA-256.
fn new_token() -> store::NewToken {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("cal_{}", hex::encode(bytes));
    store::NewToken {
        token_hash: digest(&token),
        token,
    }
}

/// Gives the caller a new personal calendar token (256 random bits); the previous URL stops
/// working at once.
pub async fn rotate_token(
    db: &impl ConnectionTrait,
    principal: &Principal,
    site: &Site,
    now: DateTime<Utc>,
) -> Result<FeedToken> {
    let new = new_token();
    let token = new.token.clone();
    store::replace_token(db, principal.person_id, new, now).await?;
    Ok(FeedToken::of(token, now, site))
}

/// The caller's current personal calendar token, if they have one that is kept (a read).
pub async fn kept_token(
    db: &impl ConnectionTrait,
    principal: &Principal,
    site: &Site,
) -> Result<Option<FeedToken>> {
    Ok(store::token_of(db, principal.person_id)
        .await?
        .map(|(token, created_at)| FeedToken::of(token, created_at, site)))
}

/// The caller's current personal calendar token, unchanged; made now if they have none yet (or
/// only one made before tokens were kept, which this replaces once).
pub async fn current_token(
    db: &impl ConnectionTrait,
    principal: &Principal,
    site: &Site,
    now: DateTime<Utc>,
) -> Result<FeedToken> {
    if let Some(kept) = kept_token(db, principal, site).await? {
        return Ok(kept);
    }
    store::keep_token_if_none(db, principal.person_id, new_token(), now).await?;
    let (token, created_at) = store::token_of(db, principal.person_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the calendar token just kept".into()))?;
    Ok(FeedToken::of(token, created_at, site))
}

/// The person a personal token belongs to (an active account), if any.
pub async fn person_of_token(db: &impl ConnectionTrait, token: &str) -> Result<Option<Uuid>> {
    Ok(store::person_of_token(db, &digest(token)).await?)
}

fn digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Forgets an erased person's calendar token (their personal feed stops). No policy here: the
/// privacy context decides who may erase.
pub async fn erase_personal_data(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<crate::values::Erasure>> {
    let removed = store::delete_token(db, person_id).await?;
    Ok(vec![crate::values::Erasure::new(
        "calendar_token",
        crate::values::Treatment::Removed,
        removed as usize,
    )])
}
