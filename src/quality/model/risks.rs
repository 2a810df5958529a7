//! The risk analysis on training quality (Qualiopi V10 ind. 32).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::actions::Action;

/// A dated risk entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    pub id: Uuid,
    pub description: String,
    /// 1 (rare) – 4 (almost certain).
    pub likelihood: i32,
    /// 1 (minor) – 4 (severe).
    pub impact: i32,
    pub mitigation: String,
    pub assessed_on: NaiveDate,
    pub review_on: NaiveDate,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Risk {
    /// Likelihood × impact (1–16).
    pub fn criticality(&self) -> i32 {
        self.likelihood * self.impact
    }

    /// Its review date has come.
    pub fn review_due(&self, today: NaiveDate) -> bool {
        self.review_on <= today
    }
}

/// A risk with the improvement actions born of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskRecord {
    pub risk: Risk,
    pub actions: Vec<Action>,
    pub review_due: bool,
}

/// A new risk, or the whole of a risk's changes (`None` leaves a field as it is).
#[derive(Debug, Clone, Default)]
pub struct RiskInput {
    pub description: Option<String>,
    pub likelihood: Option<i32>,
    pub impact: Option<i32>,
    pub mitigation: Option<String>,
    pub assessed_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
}

/// The order of a list of risks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RiskOrder {
    /// Creation order.
    #[default]
    Created,
    /// Earliest review date first.
    ReviewOn,
    /// Highest criticality first.
    Criticality,
}

/// Which risks a list shows, in what order.
#[derive(Debug, Clone, Copy, Default)]
pub struct RiskFilter {
    /// `Some(true)`: only risks whose review date has come; `Some(false)`: the others.
    pub review_due: Option<bool>,
    /// Only risks to review on or before this date.
    pub review_by: Option<NaiveDate>,
    pub order: RiskOrder,
}
