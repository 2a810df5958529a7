//! The outbox: what happened that people may be told about, written in the transaction that made
//! it happen, so a rolled-back change leaves no event and a committed one never loses its event.
//!
//! This is the one small interface contexts use ([`WriteTx::emit`]); only `notifications` reads
//! the outbox and knows what messages an event makes (no context imports it).

use sea_orm::{DbErr, EntityTrait, Set};
use uuid::Uuid;

use super::write::WriteTx;

/// Something that happened, naming the row it happened to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// An enrolment got a seat when it was made.
    EnrolmentConfirmed(Uuid),
    /// A waiting enrolment got a seat.
    EnrolmentPromoted(Uuid),
    EnrolmentCancelled(Uuid),
    /// A convocation was issued (or issued again) for the enrolment.
    ConvocationIssued(Uuid),
    SessionCancelled(Uuid),
    /// A half-day of the session changed its time, or the session its room.
    SessionMoved(Uuid),
    /// A survey invitation (hot or cold) opened.
    SurveyOpened(Uuid),
    /// A survey invitation not yet answered is near its deadline.
    SurveyReminder(Uuid),
    ComplaintAcknowledged(Uuid),
    ComplaintAnswered(Uuid),
    /// A club membership became active.
    MembershipAccepted(Uuid),
    MeetingPlanned(Uuid),
    MeetingMoved(Uuid),
    MeetingCancelled(Uuid),
    /// A certificate was issued.
    CertificateAvailable(Uuid),
}

/// Every event kind, as stored.
pub const KINDS: &[&str] = &[
    "enrolment_confirmed",
    "enrolment_promoted",
    "enrolment_cancelled",
    "convocation_issued",
    "session_cancelled",
    "session_moved",
    "survey_opened",
    "survey_reminder",
    "complaint_acknowledged",
    "complaint_answered",
    "membership_accepted",
    "meeting_planned",
    "meeting_moved",
    "meeting_cancelled",
    "certificate_available",
];

impl Event {
    /// The stored kind (one of [`KINDS`]) and the row it names.
    pub fn parts(self) -> (&'static str, Uuid) {
        use Event::*;
        match self {
            EnrolmentConfirmed(id) => (KINDS[0], id),
            EnrolmentPromoted(id) => (KINDS[1], id),
            EnrolmentCancelled(id) => (KINDS[2], id),
            ConvocationIssued(id) => (KINDS[3], id),
            SessionCancelled(id) => (KINDS[4], id),
            SessionMoved(id) => (KINDS[5], id),
            SurveyOpened(id) => (KINDS[6], id),
            SurveyReminder(id) => (KINDS[7], id),
            ComplaintAcknowledged(id) => (KINDS[8], id),
            ComplaintAnswered(id) => (KINDS[9], id),
            MembershipAccepted(id) => (KINDS[10], id),
            MeetingPlanned(id) => (KINDS[11], id),
            MeetingMoved(id) => (KINDS[12], id),
            MeetingCancelled(id) => (KINDS[13], id),
            CertificateAvailable(id) => (KINDS[14], id),
        }
    }

    /// The event a stored kind and subject describe.
    pub fn from_parts(kind: &str, id: Uuid) -> Option<Self> {
        use Event::*;
        let make: fn(Uuid) -> Event = match kind {
            "enrolment_confirmed" => EnrolmentConfirmed,
            "enrolment_promoted" => EnrolmentPromoted,
            "enrolment_cancelled" => EnrolmentCancelled,
            "convocation_issued" => ConvocationIssued,
            "session_cancelled" => SessionCancelled,
            "session_moved" => SessionMoved,
            "survey_opened" => SurveyOpened,
            "survey_reminder" => SurveyReminder,
            "complaint_acknowledged" => ComplaintAcknowledged,
            "complaint_answered" => ComplaintAnswered,
            "membership_accepted" => MembershipAccepted,
            "meeting_planned" => MeetingPlanned,
            "meeting_moved" => MeetingMoved,
            "meeting_cancelled" => MeetingCancelled,
            "certificate_available" => CertificateAvailable,
            _ => return None,
        };
        Some(make(id))
    }
}

impl WriteTx {
    /// Records events in this transaction (one insert): they exist if and only if it commits,
    /// and the commit wakes the sender.
    pub async fn emit(&mut self, events: impl IntoIterator<Item = Event>) -> Result<(), DbErr> {
        let now = self.now();
        let rows: Vec<_> = events
            .into_iter()
            .map(|event| {
                let (kind, subject) = event.parts();
                entity::outbox_event::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    kind: Set(kind.to_owned()),
                    subject_id: Set(subject),
                    created_at: Set(now),
                    attempts: Set(0),
                    last_error: Set(None),
                    done_at: Set(None),
                }
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        for chunk in rows.chunks(500) {
            entity::outbox_event::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(self.conn())
                .await?;
        }
        self.mark_emitted();
        Ok(())
    }
}

/// Which of `subjects` already had an event of `kind` recorded (to record some events once:
/// a survey's reminder).
pub async fn already_recorded(
    db: &impl sea_orm::ConnectionTrait,
    kind: &str,
    subjects: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let mut found = std::collections::HashSet::new();
    for chunk in subjects.chunks(1_000) {
        let ids: Vec<Uuid> = entity::outbox_event::Entity::find()
            .select_only()
            .column(entity::outbox_event::Column::SubjectId)
            .filter(entity::outbox_event::Column::Kind.eq(kind))
            .filter(entity::outbox_event::Column::SubjectId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids);
    }
    Ok(found)
}

/// Marks every pending event done without making messages (a synthetic dataset, such as the
/// benchmark's, tells nobody). Returns how many were set aside.
pub async fn set_aside_pending(
    db: &impl sea_orm::ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    let done = entity::outbox_event::Entity::update_many()
        .col_expr(entity::outbox_event::Column::DoneAt, Expr::value(now))
        .col_expr(
            entity::outbox_event::Column::LastError,
            Expr::value("set aside: synthetic data"),
        )
        .filter(entity::outbox_event::Column::DoneAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
