//! Watch entries as the API shows them.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;
use crate::quality::model::watch::{self as model, WatchEntry};

/// What a watch entry watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "WatchKind",
    rename_all = "snake_case",
    remote = "model::WatchKind"
)]
pub enum WatchKindView {
    /// Legal and regulatory watch (ind. 23).
    Regulatory,
    /// Watch of the trades and jobs trained for (ind. 24).
    Trade,
    /// Pedagogical and technological watch (ind. 25).
    Pedagogical,
}

/// An entry of the watch register (Qualiopi ind. 23–25).
///
/// - `kind`: What it watches.
#[derive(Debug, Object)]
pub struct WatchEntryView {
    /// Identifier.
    pub id: Uuid,
    pub kind: WatchKindView,
    /// Where it was learnt (a journal, a decree, a network…).
    pub source: String,
    /// When it was learnt.
    pub observed_on: NaiveDate,
    /// What it says.
    pub summary: String,
    /// What it changes for the trainings.
    pub impact: String,
    /// What was done about it (empty when nothing yet).
    pub action_taken: String,
    /// The improvement action it led to, if any.
    pub action_id: Nullable<Uuid>,
    /// Who recorded it.
    pub created_by: Uuid,
    /// When it was recorded (UTC).
    pub created_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl From<WatchEntry> for WatchEntryView {
    fn from(e: WatchEntry) -> Self {
        Self {
            id: e.id,
            kind: e.kind.into(),
            source: e.source,
            observed_on: e.observed_on,
            summary: e.summary,
            impact: e.impact,
            action_taken: e.action_taken,
            action_id: Nullable(e.action_id),
            created_by: e.created_by,
            created_at: e.created_at.into(),
            updated_at: e.updated_at.into(),
        }
    }
}
