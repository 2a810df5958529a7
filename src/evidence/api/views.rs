//! The evidence report as the API shows it.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::evidence::model::{
    DISCLAIMER, Finding, IndicatorReport, Link, Measure, Report, Status, VersionReport,
};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// What the report says of an indicator's evidence (never "conform").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "EvidenceStatus", rename_all = "snake_case")]
pub enum StatusView {
    /// Every record the period calls for holds its evidence.
    Present,
    /// Some records lack it: see `gaps`.
    Partial,
    /// No evidence in Passerelle for the period (none recorded, or kept outside it).
    Missing,
    /// The indicator does not apply: see `reason`.
    NotApplicable,
}

impl From<Status> for StatusView {
    fn from(s: Status) -> Self {
        match s {
            Status::Present => Self::Present,
            Status::Partial => Self::Partial,
            Status::Missing => Self::Missing,
            Status::NotApplicable => Self::NotApplicable,
        }
    }
}

/// A record: what it is, where to read it, and what it lacks (a gap) or holds.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceLink")]
pub struct LinkView {
    /// The kind of record: `enrolment`, `session`, `training`, `trainer`, `convocation`,
    /// `accommodation`, `complaint`, `improvement_action`, `risk`, `report`, `watch_entry`,
    /// `survey_results`.
    pub record: String,
    /// Its id.
    pub id: Uuid,
    /// The API path that reads it.
    pub href: String,
    /// What is missing (a gap) or what it is (a record), in French.
    pub note: String,
}

impl From<Link> for LinkView {
    fn from(l: Link) -> Self {
        Self {
            record: l.record.to_owned(),
            id: l.id,
            href: l.href,
            note: l.note,
        }
    }
}

/// A figure: `done` of `total` records hold their evidence (a count when they are equal).
#[derive(Debug, Object)]
#[oai(rename = "EvidenceMeasure")]
pub struct MeasureView {
    /// Stable key of the figure (e.g. `convocations_issued`).
    pub key: String,
    /// What it counts, in French.
    pub label: String,
    /// Records holding their evidence.
    pub done: u64,
    /// Records the period calls for.
    pub total: u64,
}

impl From<Measure> for MeasureView {
    fn from(m: Measure) -> Self {
        Self {
            key: m.key.to_owned(),
            label: m.label,
            done: m.done,
            total: m.total,
        }
    }
}

/// How many in one category.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceCount")]
pub struct CountView {
    /// The category, in French (e.g. `réclamations : closed`, `abandon : health`).
    pub category: String,
    /// How many.
    pub count: u64,
}

/// What one evidence source found.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceFinding")]
pub struct FindingView {
    /// The source (`convocations`, `complaints`, `surveys`…).
    pub source: String,
    /// Its figures.
    pub measures: Vec<MeasureView>,
    /// Counts by category.
    pub counts: Vec<CountView>,
    /// Records lacking their evidence, each linked.
    pub gaps: Vec<LinkView>,
    /// The records the figures rest on, each linked.
    pub records: Vec<LinkView>,
    /// A remark, in French.
    pub note: Nullable<String>,
    /// The evidence is kept outside Passerelle (to bring to the audit).
    pub outside: bool,
}

impl From<Finding> for FindingView {
    fn from(f: Finding) -> Self {
        Self {
            source: f.source,
            measures: f.measures.into_iter().map(Into::into).collect(),
            counts: f
                .counts
                .into_iter()
                .map(|(category, count)| CountView { category, count })
                .collect(),
            gaps: f.gaps.into_iter().map(Into::into).collect(),
            records: f.records.into_iter().map(Into::into).collect(),
            note: f.note.into(),
            outside: f.outside,
        }
    }
}

/// One indicator's evidence.
///
/// - `status`: `present`, `partial`, `missing` or `not_applicable`.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceIndicator")]
pub struct IndicatorView {
    /// Its number in the version.
    pub number: u8,
    /// Its criterion (1–7).
    pub criterion: u8,
    /// What it asks, summarised in French.
    pub summary: String,
    pub status: StatusView,
    /// Why it does not apply, or what its status means here.
    pub reason: Nullable<String>,
    /// What each evidence source found.
    pub findings: Vec<FindingView>,
}

impl From<IndicatorReport> for IndicatorView {
    fn from(i: IndicatorReport) -> Self {
        Self {
            number: i.number,
            criterion: i.criterion,
            summary: i.summary,
            status: i.status.into(),
            reason: i.reason.into(),
            findings: i.findings.into_iter().map(Into::into).collect(),
        }
    }
}

/// The part of the period one version of the referential governs.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceVersionPart")]
pub struct VersionView {
    /// `V9` or `V10`.
    pub version: String,
    /// The text it comes from.
    pub source: String,
    /// The part's first day.
    pub from: NaiveDate,
    /// The part's last day.
    pub to: NaiveDate,
    /// Sessions whose first half-day falls in the part.
    pub sessions: u64,
    /// Every indicator of the version, in order.
    pub indicators: Vec<IndicatorView>,
}

impl From<VersionReport> for VersionView {
    fn from(v: VersionReport) -> Self {
        Self {
            version: v.version,
            source: v.source,
            from: v.from,
            to: v.to,
            sessions: v.sessions,
            indicators: v.indicators.into_iter().map(Into::into).collect(),
        }
    }
}

/// The Qualiopi evidence report over a period.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceReport")]
pub struct ReportView {
    /// The period's first day.
    pub from: NaiveDate,
    /// The period's last day.
    pub to: NaiveDate,
    /// When it was computed (UTC).
    pub generated_at: Timestamp,
    /// What the report is and is not (it declares no conformity).
    pub disclaimer: String,
    /// Per version of the referential in force, its part of the period.
    pub parts: Vec<VersionView>,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        Self {
            from: r.from,
            to: r.to,
            generated_at: r.generated_at.into(),
            disclaimer: DISCLAIMER.to_owned(),
            parts: r.parts.into_iter().map(Into::into).collect(),
        }
    }
}
