//! Improvement actions (Qualiopi ind. 32) and the state machine of their status.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub use entity::improvement_action::{ActionOrigin, ActionStatus};

/// Planned or in progress: still to be done.
pub fn is_open(status: ActionStatus) -> bool {
    matches!(status, ActionStatus::Planned | ActionStatus::InProgress)
}

/// A status as the API and the messages name it.
pub fn status_name(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Planned => "planned",
        ActionStatus::InProgress => "in_progress",
        ActionStatus::Done => "done",
        ActionStatus::Abandoned => "abandoned",
    }
}

/// Whether an action may move from `from` to `to`: planned → in progress → done, and any open
/// status → abandoned.
pub fn may_move(from: ActionStatus, to: ActionStatus) -> bool {
    use ActionStatus::*;
    matches!(
        (from, to),
        (Planned, InProgress) | (InProgress, Done) | (Planned | InProgress, Abandoned)
    )
}

/// An improvement action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: Uuid,
    pub description: String,
    pub origin: ActionOrigin,
    pub origin_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    pub effect_observed: Option<String>,
    pub abandon_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Action {
    /// Due before `today` and still open.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        is_open(self.status) && self.due_on < today
    }
}

/// One change of an action: when, by whom, what, the status it left, and its note (the
/// effect observed, the reason of an abandon).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionEvent {
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub change: ActionChange,
    pub status: ActionStatus,
    pub note: Option<String>,
}

/// What a change of an action did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionChange {
    Created,
    Changed,
    Started,
    Done,
    Abandoned,
}

impl ActionChange {
    pub const ALL: [ActionChange; 5] = [
        Self::Created,
        Self::Changed,
        Self::Started,
        Self::Done,
        Self::Abandoned,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Changed => "changed",
            Self::Started => "in_progress",
            Self::Done => "done",
            Self::Abandoned => "abandoned",
        }
    }

    /// The change that moves an action to `status`.
    pub fn to(status: ActionStatus) -> Self {
        match status {
            ActionStatus::Planned => Self::Created,
            ActionStatus::InProgress => Self::Started,
            ActionStatus::Done => Self::Done,
            ActionStatus::Abandoned => Self::Abandoned,
        }
    }
}

/// An action with its history, oldest change first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub action: Action,
    pub history: Vec<ActionEvent>,
    pub overdue: bool,
}

/// A new action.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub description: String,
    pub origin: ActionOrigin,
    pub origin_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub due_on: NaiveDate,
}

/// Changes to an open action; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ActionChanges {
    pub description: Option<String>,
    pub owner_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
}

/// A move of an action's status, with what it needs: the effect observed to be done, the
/// reason to be abandoned.
#[derive(Debug, Clone)]
pub struct StatusMove {
    pub to: ActionStatus,
    pub effect_observed: Option<String>,
    pub reason: Option<String>,
}

/// Which actions a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionFilter {
    pub status: Option<ActionStatus>,
    /// `Some(true)`: only overdue actions; `Some(false)`: only those that are not.
    pub overdue: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionStatus::*;

    #[test]
    fn an_action_moves_forward_one_step_or_is_abandoned_while_open() {
        let all = [Planned, InProgress, Done, Abandoned];
        let allowed: Vec<(ActionStatus, ActionStatus)> = all
            .iter()
            .flat_map(|&f| all.iter().map(move |&t| (f, t)))
            .filter(|&(f, t)| may_move(f, t))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Planned, InProgress),
                (Planned, Abandoned),
                (InProgress, Done),
                (InProgress, Abandoned)
            ]
        );
    }
}
