//! Improvement actions as the API shows them, with their vocabulary.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;
use crate::quality::model::actions::{self as model, Action, ActionChange, ActionRecord};

/// Where an improvement action comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ActionOrigin",
    rename_all = "snake_case",
    remote = "model::ActionOrigin"
)]
pub enum OriginView {
    /// A complaint (`origin_id`: the complaint, which must exist).
    Complaint,
    /// A survey's result (`origin_id`: the survey or answer, stored as given).
    SurveyResult,
    /// A trainer's debrief (`origin_id`: the session, stored as given).
    TrainerDebrief,
    /// An audit (`origin_id`, if any, stored as given).
    Audit,
    /// A risk of the analysis (`origin_id`: the risk, which must exist).
    Risk,
    /// Anything else.
    Other,
}

/// Where an improvement action stands: `planned` → `in_progress` → `done`; an open action may
/// become `abandoned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ActionStatus",
    rename_all = "snake_case",
    remote = "model::ActionStatus"
)]
pub enum StatusView {
    /// Decided, not started.
    Planned,
    /// Under way.
    InProgress,
    /// Done, its effect observed.
    Done,
    /// Given up, with the reason.
    Abandoned,
}

/// What a change of an improvement action did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "ActionChange", rename_all = "snake_case")]
pub enum ChangeView {
    /// Recorded.
    Created,
    /// Its description, owner or due date changed.
    Changed,
    /// Started.
    InProgress,
    /// Done (the note is the effect observed).
    Done,
    /// Abandoned (the note is the reason).
    Abandoned,
}

impl From<ActionChange> for ChangeView {
    fn from(c: ActionChange) -> Self {
        match c {
            ActionChange::Created => Self::Created,
            ActionChange::Changed => Self::Changed,
            ActionChange::Started => Self::InProgress,
            ActionChange::Done => Self::Done,
            ActionChange::Abandoned => Self::Abandoned,
        }
    }
}

/// One change of an improvement action.
///
/// - `change`: What it did.
/// - `status`: The status it left the action in.
#[derive(Debug, Object)]
#[oai(rename = "ActionHistoryEntry")]
pub struct EventView {
    /// When (UTC).
    pub at: Timestamp,
    /// Who made it.
    pub by: Uuid,
    pub change: ChangeView,
    pub status: StatusView,
    /// The effect observed (done) or the reason (abandoned); `null` otherwise.
    pub note: Nullable<String>,
}

/// An improvement action (Qualiopi ind. 32).
///
/// - `origin`: Where it comes from.
/// - `status`: Where it stands.
#[derive(Debug, Object)]
#[oai(rename = "ImprovementAction")]
pub struct ActionView {
    /// Identifier.
    pub id: Uuid,
    /// What is to be done.
    pub description: String,
    pub origin: OriginView,
    /// The originating record (a risk, a complaint, a session…), if named.
    pub origin_id: Nullable<Uuid>,
    /// The person who carries it.
    pub owner_id: Uuid,
    /// When it is due.
    pub due_on: NaiveDate,
    pub status: StatusView,
    /// Due before today (Paris) and neither done nor abandoned.
    pub overdue: bool,
    /// The effect observed, once done.
    pub effect_observed: Nullable<String>,
    /// Why it was abandoned, if it was.
    pub abandon_reason: Nullable<String>,
    /// Who recorded it.
    pub created_by: Uuid,
    /// When it was recorded (UTC).
    pub created_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
    /// Every change, oldest first (empty in lists).
    pub history: Vec<EventView>,
}

impl ActionView {
    /// An action as a list shows it (without its history).
    pub fn of(a: Action, overdue: bool) -> Self {
        Self {
            id: a.id,
            description: a.description,
            origin: a.origin.into(),
            origin_id: Nullable(a.origin_id),
            owner_id: a.owner_id,
            due_on: a.due_on,
            status: a.status.into(),
            overdue,
            effect_observed: Nullable(a.effect_observed),
            abandon_reason: Nullable(a.abandon_reason),
            created_by: a.created_by,
            created_at: a.created_at.into(),
            updated_at: a.updated_at.into(),
            history: Vec::new(),
        }
    }

    /// An action with its history.
    pub fn record(r: ActionRecord) -> Self {
        let mut view = Self::of(r.action, r.overdue);
        view.history = r
            .history
            .into_iter()
            .map(|e| EventView {
                at: e.at.into(),
                by: e.by,
                change: e.change.into(),
                status: e.status.into(),
                note: Nullable(e.note),
            })
            .collect();
        view
    }
}
