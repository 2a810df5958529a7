//! The confidential reports channel (V10 ind. 12): reports of violence, sexist or sexual
//! violence, harassment and discrimination, read by the designated referents and administrators
//! only; the reporter follows theirs with the receipt code they were given once.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use entity::safety_report::{ReportCategory, ReportStep};

/// Longest report text or step note, in characters.
pub const MAX_REPORT_TEXT_CHARS: usize = 10_000;
/// Longest contact a reporter may leave, in characters.
pub const MAX_REPORT_CONTACT_CHARS: usize = 320;

/// A report as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub category: ReportCategory,
    pub text: String,
    /// How to reach the reporter, if they want to be reached.
    pub contact: Option<String>,
}

/// One handling step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub step: ReportStep,
    pub note: Option<String>,
    /// Who recorded it (`None` for the submission: the reporter is not recorded).
    pub recorded_by: Option<Uuid>,
    pub recorded_at: DateTime<Utc>,
}

/// A report, as its referents read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: Uuid,
    pub category: ReportCategory,
    pub text: String,
    pub contact: Option<String>,
    pub status: ReportStep,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Its steps, oldest first.
    pub steps: Vec<StepRecord>,
}

/// What a submission answers: the receipt code, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub code: String,
    pub received_at: DateTime<Utc>,
}

/// What the reporter reads with the receipt code: where the report stands and when each step
/// was reached (never the notes nor who).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportProgress {
    pub category: ReportCategory,
    pub status: ReportStep,
    pub received_at: DateTime<Utc>,
    pub steps: Vec<(ReportStep, DateTime<Utc>)>,
}
