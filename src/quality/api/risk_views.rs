//! Risks of the analysis as the API shows them.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::action_views::ActionView;
use crate::http::timestamp::Timestamp;
use crate::quality::model::risks::{Risk, RiskOrder, RiskRecord};

/// The order of a list of risks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "RiskOrder", rename_all = "snake_case")]
pub enum RiskOrderView {
    /// Creation order (the default).
    Created,
    /// Earliest review date first.
    ReviewOn,
    /// Highest criticality first.
    Criticality,
}

impl From<RiskOrderView> for RiskOrder {
    fn from(o: RiskOrderView) -> Self {
        match o {
            RiskOrderView::Created => Self::Created,
            RiskOrderView::ReviewOn => Self::ReviewOn,
            RiskOrderView::Criticality => Self::Criticality,
        }
    }
}

/// A dated risk on training quality (Qualiopi V10 ind. 32).
#[derive(Debug, Object)]
#[oai(rename = "QualityRisk")]
pub struct RiskView {
    /// Identifier.
    pub id: Uuid,
    /// The risk.
    pub description: String,
    /// How likely it is: 1 (rare) to 4 (almost certain).
    pub likelihood: i32,
    /// How much it would hurt: 1 (minor) to 4 (severe).
    pub impact: i32,
    /// Likelihood × impact (1–16), computed.
    pub criticality: i32,
    /// What reduces it.
    pub mitigation: String,
    /// The date of the analysis.
    pub assessed_on: NaiveDate,
    /// When it is to be reviewed.
    pub review_on: NaiveDate,
    /// The review date has come (today, Paris time, or before).
    pub review_due: bool,
    /// The improvement actions born of it (origin `risk`), in creation order (empty in lists).
    pub actions: Vec<ActionView>,
    /// Who recorded it.
    pub created_by: Uuid,
    /// When it was recorded (UTC).
    pub created_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl RiskView {
    /// A risk as a list shows it (without its actions).
    pub fn of(r: Risk, review_due: bool) -> Self {
        Self {
            id: r.id,
            criticality: r.criticality(),
            description: r.description,
            likelihood: r.likelihood,
            impact: r.impact,
            mitigation: r.mitigation,
            assessed_on: r.assessed_on,
            review_on: r.review_on,
            review_due,
            actions: Vec::new(),
            created_by: r.created_by,
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        }
    }

    /// A risk with its actions.
    pub fn record(r: RiskRecord, today: NaiveDate) -> Self {
        let mut view = Self::of(r.risk, r.review_due);
        view.actions = r
            .actions
            .into_iter()
            .map(|a| {
                let overdue = a.is_overdue(today);
                ActionView::of(a, overdue)
            })
            .collect();
        view
    }
}
