//! HTTP endpoints of the quality records, their views and the mapping of their errors. No SQL,
//! no rules.

mod complaint_views;
mod complaints;
mod report_views;
mod reports;

pub use complaint_views::*;
pub use complaints::ComplaintsApi;
pub use report_views::*;
pub use reports::ReportsApi;

mod action_views;
mod actions;
mod risk_views;
mod risks;
mod survey_views;
mod surveys;
mod watch;
mod watch_views;

pub use actions::ImprovementActionsApi;
pub use risks::RisksApi;
pub use survey_views::*;
pub use surveys::{SurveysApi, rules as survey_rules};
pub use watch::WatchApi;

/// Quality's operations, in spec order.
pub type Apis = (
    ComplaintsApi,
    ReportsApi,
    ImprovementActionsApi,
    RisksApi,
    WatchApi,
    SurveysApi,
);
