//! What a part of the period covers: its days (Paris), the instants they span, and the sessions
//! whose first half-day falls in it (published or closed) with their seat holders — read once,
//! shared by every evidence source.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{EvidenceRules, Result};
use crate::catalogue::model::{Session, SessionFilter, SessionStatus};
use crate::catalogue::service as catalogue;
use crate::enrolment::model::{Enrolment, EnrolmentStatus};
use crate::enrolment::service as enrolment;
use crate::evidence::referential::Version;
use crate::principal::Principal;

/// The first instant of a day in Paris.
pub fn paris_midnight(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Paris
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&naive), |t| t.with_timezone(&Utc))
}

/// The instants `from..=to` (Paris days) span: `from` at midnight, the day after `to` at
/// midnight (excluded).
pub fn instants(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        paris_midnight(from),
        paris_midnight(to.succ_opt().unwrap_or(to)),
    )
}

/// Sessions whose seat holders one query reads (well under every engine's bound parameters).
const HOLDERS_PER_QUERY: usize = 2_000;

/// The enrolments that held a seat in a session: confirmed, or completed once it closed.
pub async fn holders_of(db: &impl ConnectionTrait, session: Uuid) -> Result<Vec<Enrolment>> {
    Ok(enrolment::seat_holders(db, session)
        .await?
        .into_iter()
        .filter(|e| {
            matches!(
                e.status,
                EnrolmentStatus::Confirmed | EnrolmentStatus::Completed
            )
        })
        .collect())
}

/// The sessions (published or closed) whose first half-day falls in `from..=to`.
pub async fn sessions_starting(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Session>> {
    let (start, end) = instants(from, to);
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Published, SessionStatus::Closed],
        from: Some(start),
        to: Some(end),
        ..Default::default()
    };
    Ok(catalogue::all_sessions_matching(db, &filter)
        .await?
        .into_iter()
        .filter(|s| s.starts_at.is_some_and(|at| start <= at && at < end))
        .collect())
}

pub struct Scope<'a> {
    pub admin: &'a Principal,
    pub rules: &'a EvidenceRules,
    pub version: &'static Version,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `from` at 00:00 in Paris.
    pub start: DateTime<Utc>,
    /// The day after `to` at 00:00 in Paris (excluded).
    pub end: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub sessions: Vec<Session>,
    /// Per session, the enrolments that held a seat (confirmed, or completed once closed).
    pub holders: BTreeMap<Uuid, Vec<Enrolment>>,
}

impl<'a> Scope<'a> {
    pub async fn read(
        db: &impl ConnectionTrait,
        admin: &'a Principal,
        rules: &'a EvidenceRules,
        (version, from, to): (&'static Version, NaiveDate, NaiveDate),
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let (start, end) = instants(from, to);
        let sessions = sessions_starting(db, from, to).await?;
        let mut holders: BTreeMap<Uuid, Vec<Enrolment>> =
            sessions.iter().map(|s| (s.id, Vec::new())).collect();
        let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
        // One query for the part's seat holders, not one per session.
        for chunk in ids.chunks(HOLDERS_PER_QUERY) {
            for e in enrolment::seat_holders_of(db, chunk).await? {
                if let Some(of_session) = holders.get_mut(&e.session_id) {
                    of_session.push(e);
                }
            }
        }
        Ok(Self {
            admin,
            rules,
            version,
            from,
            to,
            start,
            end,
            now,
            sessions,
            holders,
        })
    }

    /// Every seat holder with their session.
    pub fn seats(&self) -> impl Iterator<Item = (&Session, &Enrolment)> {
        self.sessions.iter().flat_map(move |s| {
            self.holders
                .get(&s.id)
                .into_iter()
                .flatten()
                .map(move |e| (s, e))
        })
    }

    /// Whether an instant falls in the part.
    pub fn holds(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }

    /// Whether a day falls in the part.
    pub fn holds_day(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}
