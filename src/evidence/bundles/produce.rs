//! Produces one file of a bundle. A refusal (no provider configured to print a sheet, a
//! document nobody issued) leaves the file absent with its reason; anything else stops the job.

use poem_openapi::types::ToJSON;

use super::model::Item;
use crate::attendance::model::Timing;
use crate::documents::service as documents;
use crate::evidence::api::ReportView;
use crate::evidence::model::Report;
use crate::evidence::service::{self, EvidenceRules};
use crate::paging::every;
use crate::principal::Principal;
use crate::quality::model::surveys::ResultsFilter;
use crate::quality::model::{ComplaintFilter, actions::ActionFilter};
use crate::quality::service as quality;
use crate::refusal::{Kind, Refusal};
use crate::state::AppState;

/// Why a file is not produced.
#[derive(Debug)]
pub enum Failure {
    /// The file cannot exist (its reason goes in the manifest); the bundle goes on.
    Absent(String),
    /// The job cannot go on.
    Fatal(String),
}

impl<E: Refusal> From<E> for Failure {
    fn from(error: E) -> Self {
        match error.kind() {
            Kind::Internal => Self::Fatal(error.to_string()),
            _ => Self::Absent(error.to_string()),
        }
    }
}

/// What producing files shares: the job's state and period, and the report once computed.
pub struct Producer<'a> {
    pub state: &'a AppState,
    pub principal: &'a Principal,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    report: Option<Report>,
}

impl<'a> Producer<'a> {
    pub fn new(
        state: &'a AppState,
        principal: &'a Principal,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Self {
        Self {
            state,
            principal,
            from,
            to,
            report: None,
        }
    }

    async fn report(&mut self) -> Result<&Report, Failure> {
        if self.report.is_none() {
            let rules = EvidenceRules::of(&self.state.settings);
            let report = service::report(
                &self.state.db,
                self.principal,
                &rules,
                self.from,
                self.to,
                self.state.clock.now(),
            )
            .await?;
            self.report = Some(report);
        }
        self.report
            .as_ref()
            .ok_or_else(|| Failure::Fatal("the report was not computed".into()))
    }

    /// The bytes of `item`.
    pub async fn produce(&mut self, item: &Item) -> Result<Vec<u8>, Failure> {
        let state = self.state;
        let db = &state.db;
        let now = state.clock.now();
        let principal = self.principal;
        Ok(match item {
            Item::ReportJson => {
                let view = ReportView::from(self.report().await?.clone());
                serde_json::to_vec_pretty(&view.to_json())
                    .map_err(|e| Failure::Fatal(e.to_string()))?
            }
            Item::ReportPdf => {
                return Err(Failure::Absent("MERGE-PDF".into()));
            }
            Item::Sheet { session } => {
                let timing = Timing::of(&state.settings);
                documents::sheet_pdf(db, &state.renderer, now, timing, principal, *session).await?
            }
            Item::Certificate { certificate } => {
                documents::certificate_by_id(db, principal, *certificate)
                    .await?
                    .1
            }
            Item::Convocation { enrolment } => {
                documents::convocation_pdf(db, &state.renderer, principal, *enrolment).await?
            }
            Item::Surveys { session } => {
                let rules = crate::quality::model::surveys::SurveyRules::of(&state.settings);
                let filter = ResultsFilter {
                    session_id: Some(*session),
                    ..Default::default()
                };
                let results = quality::survey_results(db, principal, &rules, filter, now).await?;
                quality::survey_results_table(&results).to_csv()
            }
            Item::Complaints => {
                let delay =
                    quality::AcknowledgeDelay::days(state.settings.complaint_acknowledge_days);
                let (start, end) = service::scope::instants(self.from, self.to);
                let all = every!(|page| quality::list_complaints(
                    db,
                    principal,
                    ComplaintFilter::default(),
                    page,
                    now,
                    delay
                ));
                let received: Vec<_> = all
                    .into_iter()
                    .filter(|c| start <= c.received_at && c.received_at < end)
                    .collect();
                quality::complaints_table(&received).to_csv()
            }
            Item::Actions => {
                let (start, end) = service::scope::instants(self.from, self.to);
                let all = every!(|page| quality::list_actions(
                    db,
                    principal,
                    now,
                    ActionFilter::default(),
                    page
                ));
                let created: Vec<_> = all
                    .into_iter()
                    .filter(|a| start <= a.created_at && a.created_at < end)
                    .collect();
                quality::actions_table(&created).to_csv()
            }
        })
    }
}
