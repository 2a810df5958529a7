//! The evidence report's domain types.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::documents::model::Provider;

/// What the report says of an indicator's evidence. Never "conform": an auditor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every record the period calls for holds its evidence.
    Present,
    /// Some records lack their evidence (the gaps say which).
    Partial,
    /// No evidence in Passerelle for the period (none recorded, or kept outside it).
    Missing,
    /// The indicator does not apply (the reason says why).
    NotApplicable,
}

/// A record that lacks its evidence, or one that holds it: what it is and where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// `enrolment`, `session`, `training`, `trainer`, `complaint`, `improvement_action`, `risk`…
    pub record: &'static str,
    pub id: Uuid,
    /// The API path that reads it.
    pub href: String,
    /// What is missing (gaps) or what it is (records), in French.
    pub note: String,
}

/// A figure: `done` of `total` records hold their evidence (a count when both are equal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub key: &'static str,
    /// In French, as the PDF prints it.
    pub label: String,
    pub done: u64,
    pub total: u64,
}

/// What one evidence source found over a part of the period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Finding {
    pub source: String,
    pub measures: Vec<Measure>,
    /// Counts by category (drop-out causes, complaints by state, actions by origin…).
    pub counts: Vec<(String, u64)>,
    pub gaps: Vec<Link>,
    /// The records the figures rest on (sessions, complaints…), for the auditor to open.
    pub records: Vec<Link>,
    /// Set when the source is kept outside Passerelle or says something the figures do not.
    pub note: Option<String>,
    /// The evidence is kept outside Passerelle (the administrator brings it to the audit).
    pub outside: bool,
}

impl Finding {
    pub fn new(source: &str) -> Self {
        Self {
            source: source.to_owned(),
            ..Self::default()
        }
    }

    pub fn measure(&mut self, key: &'static str, label: &str, done: u64, total: u64) {
        self.measures.push(Measure {
            key,
            label: label.to_owned(),
            done,
            total,
        });
    }

    pub fn count(&mut self, category: impl Into<String>, n: u64) {
        self.counts.push((category.into(), n));
    }

    pub fn gap(&mut self, record: &'static str, id: Uuid, href: String, note: impl Into<String>) {
        self.gaps.push(Link {
            record,
            id,
            href,
            note: note.into(),
        });
    }

    pub fn record(
        &mut self,
        record: &'static str,
        id: Uuid,
        href: String,
        note: impl Into<String>,
    ) {
        self.records.push(Link {
            record,
            id,
            href,
            note: note.into(),
        });
    }

    /// Whether anything was recorded for the period.
    pub fn is_empty(&self) -> bool {
        self.measures.iter().all(|m| m.total == 0) && self.counts.iter().all(|(_, n)| *n == 0)
    }

    /// Whether every record the figures count holds its evidence.
    pub fn complete(&self) -> bool {
        self.gaps.is_empty() && self.measures.iter().all(|m| m.done == m.total)
    }
}

/// The status an indicator's findings give.
pub fn status_of(findings: &[Finding]) -> Status {
    if findings.is_empty() || findings.iter().any(|f| f.outside) {
        return Status::Missing;
    }
    if findings.iter().all(Finding::is_empty) {
        return Status::Missing;
    }
    // A source with nothing to count (no absence, no accommodation request) lacks nothing.
    if findings.iter().all(Finding::complete) {
        Status::Present
    } else {
        Status::Partial
    }
}

/// One indicator's part of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorReport {
    pub number: u8,
    pub criterion: u8,
    pub summary: String,
    pub status: Status,
    /// Why it does not apply, or what its status means here.
    pub reason: Option<String>,
    pub findings: Vec<Finding>,
}

/// The part of the period one version of the referential governs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionReport {
    pub version: String,
    pub source: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Sessions whose first half-day falls in this part.
    pub sessions: u64,
    pub indicators: Vec<IndicatorReport>,
}

/// The evidence report over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub generated_at: DateTime<Utc>,
    /// The provider's identity as an administrator set it (none yet: the PDF says so).
    pub provider: Option<Provider>,
    pub parts: Vec<VersionReport>,
}

/// What the report always says of itself.
pub const DISCLAIMER: &str = "Ce rapport rassemble les preuves que Passerelle tient pour chaque \
    indicateur et signale les manques ; il ne déclare aucune conformité : seul l'auditeur en juge.";

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(done: u64, total: u64) -> Finding {
        let mut f = Finding::new("test");
        f.measure("m", "m", done, total);
        f
    }

    #[test]
    fn an_indicator_is_present_when_nothing_lacks_partial_with_a_gap_and_missing_when_empty() {
        assert_eq!(status_of(&[finding(2, 2)]), Status::Present);
        assert_eq!(status_of(&[finding(0, 0), finding(1, 1)]), Status::Present);
        assert_eq!(status_of(&[finding(1, 2)]), Status::Partial);
        let mut gap = finding(1, 1);
        gap.gap("session", Uuid::nil(), String::new(), "x");
        assert_eq!(status_of(&[gap]), Status::Partial);
        assert_eq!(status_of(&[finding(0, 0)]), Status::Missing);
        assert_eq!(status_of(&[]), Status::Missing);
        let mut outside = Finding::new("outside_passerelle");
        outside.outside = true;
        assert_eq!(status_of(&[outside, finding(1, 1)]), Status::Missing);
    }
}
