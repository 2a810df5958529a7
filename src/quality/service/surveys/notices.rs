//! Surveys opened for everyone, and their reminders: the clock makes invitations due (see
//! [`super::opening`]); this pass writes those of the sessions that ended recently for all their
//! respondents at once — not only when a person reads their list — and records the events that
//! tell them (`survey_opened`, then `survey_reminder` once, some days before the deadline of an
//! invitation still unanswered).

use chrono::Duration;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::opening::due_for_sessions;
use crate::catalogue::model::{SessionFilter, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::db::outbox::{Event, already_recorded};
use crate::db::write::WriteTx;
use crate::quality::model::surveys::{Invitation, SurveyKind, SurveyRules};
use crate::quality::service::Result;
use crate::quality::store;

/// Days before its deadline at which an unanswered invitation is reminded.
pub const REMIND_DAYS_BEFORE: i64 = 3;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyNotices {
    pub opened: usize,
    pub reminded: usize,
}

/// Opens every invitation due now among the sessions that may still have some (started since
/// the cold survey's delay, its answering time and two months of margin), and records the
/// reminders due. Idempotent: an invitation is written once (its id is deterministic) and
/// reminded once.
pub async fn open_and_remind(tx: &mut WriteTx, rules: &SurveyRules) -> Result<SurveyNotices> {
    let now = tx.now();
    let reach = Duration::weeks(i64::from(rules.cold_weeks))
        + Duration::days(i64::from(rules.answer_days))
        + Duration::days(60);
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Closed],
        from: Some(now - reach),
        to: Some(now),
        ..SessionFilter::default()
    };
    let sessions = catalogue::all_sessions_matching(tx.conn(), &filter).await?;
    let kinds = [SurveyKind::Hot, SurveyKind::Cold, SurveyKind::Debrief];
    let due = due_for_sessions(tx.conn(), rules, &sessions, &kinds, now).await?;
    let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
    let written: std::collections::HashSet<Uuid> = store::invitations_by_ids(tx.conn(), &ids)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let mut notices = SurveyNotices::default();
    let mut opened = Vec::new();
    for fresh in due.iter().filter(|d| !written.contains(&d.id)) {
        store::insert_due(tx, fresh).await?;
        opened.push(Event::SurveyOpened(fresh.id));
    }
    notices.opened = opened.len();
    tx.emit(opened).await?;
    let soon =
        store::unanswered_due_before(tx.conn(), now, now + Duration::days(REMIND_DAYS_BEFORE))
            .await?;
    let soon_ids: Vec<Uuid> = soon.iter().map(|i| i.id).collect();
    let reminded = already_recorded(tx.conn(), "survey_reminder", &soon_ids).await?;
    let reminders: Vec<Event> = soon_ids
        .into_iter()
        .filter(|id| !reminded.contains(id))
        .map(Event::SurveyReminder)
        .collect();
    notices.reminded = reminders.len();
    tx.emit(reminders).await?;
    Ok(notices)
}

/// One invitation by id, for the messages about it (no policy: messages go to its person).
pub async fn invitation_notice(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Invitation>> {
    Ok(store::invitations_by_ids(db, &[id]).await?.pop())
}

/// Whether an invitation is still unanswered (a reminder drafted late is dropped once answered).
pub async fn unanswered(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    Ok(entity::survey_invitation::Entity::find_by_id(id)
        .filter(entity::survey_invitation::Column::SubmittedAt.is_null())
        .one(db)
        .await?
        .is_some())
}
