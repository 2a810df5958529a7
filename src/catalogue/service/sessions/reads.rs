//! Reading sessions: administrators and the trainers who teach them, and the public catalogue.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::super::{CatalogueError, Result};
use crate::catalogue::model::{PersonName, PublicSessionFilter, Session, SessionFilter, Slot};
use crate::catalogue::{policy, store};
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;

/// Administrators see any session; trainers the sessions they teach; others get not found.
pub async fn get_session(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Session> {
    store::session(db, id)
        .await?
        .filter(|s| {
            let trainers: Vec<Uuid> = s.trainers.iter().map(|p| p.id).collect();
            policy::may_see_session(principal, &trainers)
        })
        .ok_or(CatalogueError::SessionNotFound)
}

/// Administrators list every session; trainers the sessions they teach; others may not.
pub async fn list_sessions(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: SessionFilter,
    page: &PageRequest,
) -> Result<Page<Session>> {
    let filter = policy::session_scope(principal, filter).ok_or(CatalogueError::Forbidden(
        "only administrators and trainers list sessions",
    ))?;
    Ok(store::list_sessions(db, &filter, page).await?)
}

/// Published sessions of published trainings, for everyone; `now` decides availability.
pub async fn public_sessions(
    db: &impl ConnectionTrait,
    filter: PublicSessionFilter,
    now: DateTime<Utc>,
    page: &PageRequest,
) -> Result<Page<Session>> {
    let query = SessionFilter {
        statuses: Vec::new(),
        training_id: filter.training_id,
        theme: filter.theme,
        from: filter.from,
        to: filter.to,
        online: filter.online,
        city: filter.city,
        available_at: filter.available.filter(|a| *a).map(|_| now),
        taught_by: None,
        listed_only: true,
        half_days_between: None,
    };
    Ok(store::list_sessions(db, &query, page).await?)
}

/// Until when a page of [`public_sessions`] stays right without any write: with
/// `available=true`, until the next enrolment deadline passes; otherwise for ever (`None`).
pub async fn public_sessions_hold_until(
    db: &impl ConnectionTrait,
    filter: &PublicSessionFilter,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    if filter.available != Some(true) {
        return Ok(None);
    }
    // No deadline ahead: only a write can change which sessions are open.
    Ok(store::next_listed_deadline(db, now).await?)
}

/// A published session of a published training; any other is not found.
pub async fn public_session(db: &impl ConnectionTrait, id: Uuid) -> Result<Session> {
    store::session(db, id)
        .await?
        .filter(|s| policy::public_session(s.status, s.training.status))
        .ok_or(CatalogueError::SessionNotFound)
}

/// The people who teach a session (for other contexts' policies: a trainer sees its roster).
pub async fn trainer_ids_of(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(store::teachers_of(db, session_id).await?)
}

/// The e-mail of the disability referent of a session's training (Qualiopi ind. 26), for the
/// enrolment context's policy on accommodation requests.
pub async fn disability_referent_of(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Option<String>> {
    let Some(training) = store::training_id_of(db, session_id).await? else {
        return Ok(None);
    };
    Ok(store::training(db, training)
        .await?
        .map(|t| t.programme.disability_referent.email))
}

/// A session with its training, room, trainers and half-days, whatever its status, for other
/// contexts' documents (a convocation); the caller's own policy decides who may see what.
pub async fn session_details(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Session>> {
    Ok(store::session(db, id).await?)
}

/// Whether a training exists (any status), for other contexts' checks.
pub async fn training_exists(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    Ok(store::training(db, id).await?.is_some())
}

/// The training a session runs.
pub async fn training_of_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Option<Uuid>> {
    Ok(store::training_id_of(db, session_id).await?)
}

/// One half-day by id, whatever its session's status (the caller's policy decides who sees it).
pub async fn slot(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Slot>> {
    Ok(store::slot(db, id).await?)
}

/// People's names as sessions show them (trainers, and trainees on attendance sheets).
pub async fn person_names(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::BTreeMap<Uuid, PersonName>> {
    Ok(store::names(db, ids).await?)
}

/// The half-days between `from` and `to` that `trainers` teach in other sessions that are not
/// cancelled, each with the trainer (a trainer cannot be in two rooms at once).
pub async fn trainers_slots_between(
    db: &impl ConnectionTrait,
    trainers: &[Uuid],
    except: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(Uuid, Slot)>> {
    Ok(store::trainers_slots_between(db, trainers, except, from, to).await?)
}

/// The sessions a calendar feed shows (any status but draft), with their half-days, rooms and
/// trainings; the calendar decides which events stay in its window.
pub async fn calendar_sessions(
    db: &impl ConnectionTrait,
    scope: &crate::catalogue::model::CalendarScope,
) -> Result<Vec<Session>> {
    Ok(store::calendar_sessions(db, scope).await?)
}

/// The sessions a person teaches (for their personal calendar).
pub async fn sessions_taught_by(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(store::taught_by(db, person_id).await?)
}

/// The stamps of the sessions a calendar feed shows: enough to decide which to (re)render.
pub async fn calendar_stamps(
    db: &impl ConnectionTrait,
    scope: &crate::catalogue::model::CalendarScope,
) -> Result<Vec<crate::catalogue::model::SessionStamp>> {
    Ok(store::calendar_stamps(db, scope).await?)
}

/// Every session a filter matches, all pages of it (for other contexts' reports: the result
/// indicators, the survey results). No caller check: the callers decide what they publish.
pub async fn all_sessions_matching(
    db: &impl ConnectionTrait,
    filter: &SessionFilter,
) -> Result<Vec<Session>> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store::list_sessions(
            db,
            filter,
            &PageRequest::new(Some(crate::paging::MAX_LIMIT), after),
        )
        .await?;
        all.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(all),
        }
    }
}

/// The future of [`ResultsSource::results`].
pub type ResultsFuture<'a> = std::pin::Pin<
    Box<
        dyn std::future::Future<
                Output = std::result::Result<
                    crate::catalogue::model::TrainingResults,
                    sea_orm::DbErr,
                >,
            > + Send
            + 'a,
    >,
>;

/// Computes a training's published result indicators (Qualiopi ind. 2) for the public training
/// read. The quality context implements it; the assembly hands it to the catalogue's handlers,
/// so the catalogue never imports quality.
pub trait ResultsSource: Send + Sync + 'static {
    fn results<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseConnection,
        training_id: Uuid,
        now: DateTime<Utc>,
    ) -> ResultsFuture<'a>;
}

/// The sessions whose every half-day ended before `before`, for retention. No policy here.
pub async fn sessions_ended_before(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<Vec<Uuid>, sea_orm::DbErr> {
    crate::catalogue::store::sessions_ended_before(db, before).await
}
