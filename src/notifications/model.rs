//! What notifications are made of: categories a person may or may not opt out of, delivery
//! states, the messages as administrators and people see them, and preferences.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Why a message is sent, which decides whether a person may opt out of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Legal messages (convocation, certificate): always sent.
    Legal,
    /// Answers to what the person did or asked (enrolment, complaint, membership): always sent.
    Service,
    /// Reminders: may be opted out of.
    Reminder,
    /// Club meetings planned, moved or cancelled: may be opted out of.
    ClubNews,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Legal => "legal",
            Category::Service => "service",
            Category::Reminder => "reminder",
            Category::ClubNews => "club_news",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Category::Legal,
            Category::Service,
            Category::Reminder,
            Category::ClubNews,
        ]
        .into_iter()
        .find(|c| c.as_str() == value)
    }

    /// Whether a person may opt out of it (and its messages carry `List-Unsubscribe`).
    pub fn optional(self) -> bool {
        matches!(self, Category::Reminder | Category::ClubNews)
    }
}

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting for its first attempt.
    Queued,
    /// Claimed by a sender now.
    Sending,
    /// An attempt failed; it will be tried again at `next_attempt_at`.
    Failed,
    Sent,
    /// Every attempt failed; an administrator may retry it.
    Dead,
}

impl Delivery {
    pub const ALL: [Delivery; 5] = [
        Delivery::Queued,
        Delivery::Sending,
        Delivery::Failed,
        Delivery::Sent,
        Delivery::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Sending => "sending",
            Delivery::Failed => "failed",
            Delivery::Sent => "sent",
            Delivery::Dead => "dead",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == value)
    }
}

/// One message, as an administrator (or its recipient) sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: Uuid,
    /// The event that made it (`enrolment_confirmed`, …) and the row it happened to.
    pub event: String,
    pub subject_id: Uuid,
    pub template: String,
    pub category: Category,
    pub person_id: Option<Uuid>,
    pub recipient: String,
    pub subject: String,
    pub message_id: String,
    pub attachments: Vec<String>,
    pub status: Delivery,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Which messages a list shows.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub status: Option<Delivery>,
    pub person_id: Option<Uuid>,
    pub event: Option<String>,
    pub subject_id: Option<Uuid>,
}

/// The optional messages a person receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    pub reminders: bool,
    pub club_news: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            reminders: true,
            club_news: true,
        }
    }
}

impl Preferences {
    /// Whether a message of `category` may be sent.
    pub fn allows(&self, category: Category) -> bool {
        match category {
            Category::Reminder => self.reminders,
            Category::ClubNews => self.club_news,
            Category::Legal | Category::Service => true,
        }
    }
}
