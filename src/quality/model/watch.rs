//! The watch register: regulatory, trade and pedagogical watch (Qualiopi ind. 23–25).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub use entity::watch_entry::WatchKind;

/// A watch entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEntry {
    pub id: Uuid,
    pub kind: WatchKind,
    pub source: String,
    pub observed_on: NaiveDate,
    pub summary: String,
    pub impact: String,
    pub action_taken: String,
    /// The improvement action it led to, if any.
    pub action_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new watch entry, or its changes (`None` leaves a field as it is).
#[derive(Debug, Clone, Default)]
pub struct WatchInput {
    pub kind: Option<WatchKind>,
    pub source: Option<String>,
    pub observed_on: Option<NaiveDate>,
    pub summary: Option<String>,
    pub impact: Option<String>,
    pub action_taken: Option<String>,
    pub action_id: Option<Uuid>,
}

/// Which entries a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct WatchFilter {
    pub kind: Option<WatchKind>,
    /// Observed on or after.
    pub from: Option<NaiveDate>,
    /// Observed on or before.
    pub to: Option<NaiveDate>,
}
