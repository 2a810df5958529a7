//! Messages and preferences as the API shows them.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;
use crate::notifications::model::{self, Message, Preferences};

/// Where a message is: `queued` (never tried), `sending` (claimed by a sender now), `failed`
/// (an attempt failed; tried again at `next_attempt_at`), `sent`, or `dead` (every attempt
/// failed; an administrator may retry it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "NotificationStatus",
    rename_all = "snake_case",
    remote = "model::Delivery"
)]
pub enum DeliveryView {
    /// Waiting for its first attempt.
    Queued,
    /// Claimed by a sender now.
    Sending,
    /// An attempt failed; it will be tried again.
    Failed,
    /// Accepted by the SMTP relay.
    Sent,
    /// Every attempt failed.
    Dead,
}

/// Why a message is sent: `legal` and `service` messages are always sent; a person may opt
/// out of `reminder` and `club_news`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "NotificationCategory",
    rename_all = "snake_case",
    remote = "model::Category"
)]
pub enum CategoryView {
    /// Convocation, certificate.
    Legal,
    /// Enrolment, complaint, membership.
    Service,
    /// Reminders.
    Reminder,
    /// Club meetings planned, moved or cancelled.
    ClubNews,
}

/// One e-mail to one person and its delivery.
///
/// - `category`: Why it is sent (whether it may be opted out of).
/// - `status`: Where its delivery is.
#[derive(Debug, Object)]
#[oai(rename = "Notification")]
pub struct MessageView {
    /// Message id.
    pub id: Uuid,
    /// The event that made it: `enrolment_confirmed`, `enrolment_promoted`,
    /// `enrolment_cancelled`, `convocation_issued`, `session_cancelled`, `session_moved`,
    /// `certificate_available`, `complaint_acknowledged`, `complaint_answered`,
    /// `membership_accepted`, `meeting_planned`, `meeting_moved`, `meeting_cancelled`,
    /// `survey_opened` or `survey_reminder`.
    pub event: String,
    /// The row the event happened to (an enrolment, a session, a meeting…).
    pub subject_id: Uuid,
    /// The template it was written with.
    pub template: String,
    pub category: CategoryView,
    /// The person it goes to; `null` for someone without an account (a complainant).
    pub person_id: Nullable<Uuid>,
    /// The address it goes to.
    pub recipient: String,
    /// Its subject.
    pub subject: String,
    /// Its `Message-ID` header, the same on every attempt.
    pub message_id: String,
    /// Names of the attached files (`convocation.pdf`, `invitation.ics`).
    pub attachments: Vec<String>,
    pub status: DeliveryView,
    /// Attempts made so far.
    pub attempts: i32,
    /// When it is (or was) due to be tried.
    pub next_attempt_at: Timestamp,
    /// What the last failed attempt said; `null` when none failed.
    pub last_error: Nullable<String>,
    /// When it was drafted from its event.
    pub created_at: Timestamp,
    /// When the relay accepted it; `null` until then.
    pub sent_at: Nullable<Timestamp>,
}

impl From<Message> for MessageView {
    fn from(m: Message) -> Self {
        Self {
            id: m.id,
            event: m.event,
            subject_id: m.subject_id,
            template: m.template,
            category: m.category.into(),
            person_id: Nullable(m.person_id),
            recipient: m.recipient,
            subject: m.subject,
            message_id: m.message_id,
            attachments: m.attachments,
            status: m.status.into(),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at.into(),
            last_error: Nullable(m.last_error),
            created_at: m.created_at.into(),
            sent_at: Nullable(m.sent_at.map(Into::into)),
        }
    }
}

/// The optional messages a person receives (legal and service messages are always sent).
#[derive(Debug, Object)]
#[oai(rename = "NotificationPreferences")]
pub struct PreferencesView {
    /// Reminders (survey deadlines).
    pub reminders: bool,
    /// Club meetings planned, moved or cancelled.
    pub club_news: bool,
}

impl From<Preferences> for PreferencesView {
    fn from(p: Preferences) -> Self {
        Self {
            reminders: p.reminders,
            club_news: p.club_news,
        }
    }
}

impl From<PreferencesView> for Preferences {
    fn from(p: PreferencesView) -> Self {
        Self {
            reminders: p.reminders,
            club_news: p.club_news,
        }
    }
}

/// What an unsubscribe link did (or, read with GET, would do).
///
/// - `category`: The messages it stops.
#[derive(Debug, Object)]
#[oai(rename = "Unsubscribed")]
pub struct UnsubscribedView {
    pub category: CategoryView,
    /// Whether the person is now opted out (false on a GET, which changes nothing).
    pub unsubscribed: bool,
}
