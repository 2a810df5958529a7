//! A report as its referents read it, what the reporter reads with the receipt code, and the
//! bodies that submit and handle one.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::quality::model::{self, Receipt, Report, ReportProgress, StepRecord};

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ReportCategory",
    rename_all = "snake_case",
    remote = "model::ReportCategory"
)]
pub enum ReportCategoryView {
    /// Violence.
    Violence,
    /// Sexist or sexual violence.
    SexistOrSexualViolence,
    /// Harassment (moral or sexual).
    Harassment,
    /// Discrimination.
    Discrimination,
}

/// A report's handling steps, in order: `received` → `acknowledged` → `in_progress` →
/// `closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ReportStatus",
    rename_all = "snake_case",
    remote = "model::ReportStep"
)]
pub enum ReportStatusView {
    /// Submitted.
    Received,
    /// A referent acknowledged it.
    Acknowledged,
    /// Being handled.
    InProgress,
    /// Handled and closed.
    Closed,
}

/// A report on the confidential channel.
///
/// - `category`: What it is about.
#[derive(Debug, Object)]
pub struct NewReportBody {
    pub category: ReportCategoryView,
    /// What happened (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub text: Text,
    /// How to reach the reporter, if they wish (1–320 characters); leave it out to stay
    /// anonymous.
    #[oai(validator(max_length = 320))]
    pub contact: Option<Text>,
}

/// The next handling step of a report.
///
/// - `step`: The step reached: the one after the report's current status.
#[derive(Debug, Object)]
pub struct ReportStepBody {
    pub step: ReportStatusView,
    /// What was done (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub note: Text,
}

/// What a submission answers: the receipt code, shown only this once.
#[derive(Debug, Object)]
pub struct ReportReceiptView {
    /// The secret with which the reporter reads where the report stands
    /// (`GET /api/v1/reports/receipts/{code}`); keep it, it cannot be shown again.
    pub receipt_code: String,
    /// When it was received (UTC).
    pub received_at: Timestamp,
}

/// A step reached, as the reporter sees it.
///
/// - `step`: The step.
#[derive(Debug, Object)]
pub struct ReportProgressStepView {
    pub step: ReportStatusView,
    /// When it was reached (UTC).
    pub at: Timestamp,
}

/// Where a report stands, for the holder of its receipt code (never the notes nor who).
///
/// - `category`: What it is about.
/// - `status`: Its current step.
#[derive(Debug, Object)]
pub struct ReportProgressView {
    pub category: ReportCategoryView,
    pub status: ReportStatusView,
    /// When it was received (UTC).
    pub received_at: Timestamp,
    /// The steps reached, oldest first.
    pub steps: Vec<ReportProgressStepView>,
}

/// A handling step of a report.
///
/// - `step`: The step.
#[derive(Debug, Object)]
pub struct ReportStepView {
    pub step: ReportStatusView,
    /// What was done (`null` for the submission).
    pub note: Nullable<String>,
    /// Who recorded it (`null` for the submission: the reporter is not recorded).
    pub recorded_by: Nullable<Uuid>,
    /// When (UTC).
    pub recorded_at: Timestamp,
}

/// A report, as its referents and administrators read it.
///
/// - `category`: What it is about.
/// - `status`: Its current step.
#[derive(Debug, Object)]
pub struct ReportView {
    /// Identifier.
    pub id: Uuid,
    pub category: ReportCategoryView,
    /// What happened.
    pub text: String,
    /// How to reach the reporter (`null`: anonymous).
    pub contact: Nullable<String>,
    pub status: ReportStatusView,
    /// When it was received (UTC).
    pub received_at: Timestamp,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
    /// Its steps, oldest first.
    pub steps: Vec<ReportStepView>,
}

impl From<Receipt> for ReportReceiptView {
    fn from(r: Receipt) -> Self {
        Self {
            receipt_code: r.code,
            received_at: r.received_at.into(),
        }
    }
}

impl From<ReportProgress> for ReportProgressView {
    fn from(p: ReportProgress) -> Self {
        Self {
            category: p.category.into(),
            status: p.status.into(),
            received_at: p.received_at.into(),
            steps: p
                .steps
                .into_iter()
                .map(|(step, at)| ReportProgressStepView {
                    step: step.into(),
                    at: at.into(),
                })
                .collect(),
        }
    }
}

impl From<StepRecord> for ReportStepView {
    fn from(s: StepRecord) -> Self {
        Self {
            step: s.step.into(),
            note: Nullable(s.note),
            recorded_by: Nullable(s.recorded_by),
            recorded_at: s.recorded_at.into(),
        }
    }
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        Self {
            id: r.id,
            category: r.category.into(),
            text: r.text,
            contact: Nullable(r.contact),
            status: r.status.into(),
            received_at: r.received_at.into(),
            updated_at: r.updated_at.into(),
            steps: r.steps.into_iter().map(Into::into).collect(),
        }
    }
}
