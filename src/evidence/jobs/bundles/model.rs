//! A bundle job and the files of its plan.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleStatus {
    Queued,
    Running,
    Ready,
    Failed,
}

impl BundleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Ready => "ready",
            Self::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Self {
        match value {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "ready" => Self::Ready,
            _ => Self::Failed,
        }
    }
}

/// What an administrator asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The sessions to include; `None`: up to [`super::plan::SAMPLE`] drawn at random.
    pub sessions: Option<Vec<Uuid>>,
    /// The seed of the draw (a random one when `None`).
    pub seed: Option<i64>,
}

/// A bundle job as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub seed: Option<i64>,
    pub sessions: Vec<Uuid>,
    pub status: BundleStatus,
    pub done: u32,
    pub total: u32,
    pub step: String,
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    pub failure: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Bundle {
    /// Progress in percent (100 once ready).
    pub fn percent(&self) -> u8 {
        match (self.status, self.total) {
            (BundleStatus::Ready, _) => 100,
            (_, 0) => 0,
            // Writing the archive is the last step: files alone reach 99 at most.
            _ => (u64::from(self.done) * 99 / u64::from(self.total)) as u8,
        }
    }
}

/// One file to produce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    ReportJson,
    ReportPdf,
    Sheet { session: Uuid },
    Certificate { certificate: Uuid },
    Convocation { enrolment: Uuid },
    Surveys { session: Uuid },
    Complaints,
    Actions,
}

/// A file of the plan: its path in the archive, what produces it and, once written, its
/// SHA-256 and size — or why it could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub item: Item,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Why the file is absent (a session without a configured provider cannot print its sheet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<String>,
}

impl Entry {
    pub fn new(path: String, item: Item) -> Self {
        Self {
            path,
            item,
            sha256: None,
            bytes: None,
            absent: None,
        }
    }

    pub fn is_settled(&self) -> bool {
        self.sha256.is_some() || self.absent.is_some()
    }

    /// The step shown while it is produced, in French.
    pub fn step(&self) -> String {
        let what = match &self.item {
            Item::ReportJson => "rapport de preuves (JSON)",
            Item::ReportPdf => "rapport de preuves (PDF)",
            Item::Sheet { .. } => "feuille d'émargement",
            Item::Certificate { .. } => "certificat de réalisation",
            Item::Convocation { .. } => "convocation",
            Item::Surveys { .. } => "résultats des enquêtes",
            Item::Complaints => "registre des réclamations",
            Item::Actions => "registre des actions d'amélioration",
        };
        format!("{what} : {}", self.path)
    }
}
