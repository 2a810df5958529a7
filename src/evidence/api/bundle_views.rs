//! What the audit bundles' endpoints accept and answer.

use chrono::NaiveDate;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Enum, Object};
use uuid::Uuid;

use crate::evidence::jobs::bundles::{Bundle, BundleStatus};
use crate::http::dates::DateText;
use crate::http::nullable::Nullable;
use crate::http::patch::Patch;
use crate::http::timestamp::Timestamp;

/// An audit bundle to build.
#[derive(Debug, Object)]
#[oai(rename = "NewEvidenceBundle")]
pub struct NewBundleBody {
    /// The first day of the period (`YYYY-MM-DD`, Paris).
    pub from: DateText,
    /// The last day of the period (`YYYY-MM-DD`, both included; at most two years after
    /// `from`).
    pub to: DateText,
    /// The sessions to include (1–50, each with its first half-day in the period); absent: up
    /// to 10 drawn at random among them.
    #[oai(validator(max_items = 50))]
    pub sessions: Patch<Vec<Uuid>>,
    /// The seed of the random draw (absent: a random one, returned in the answer); the same
    /// seed over the same sessions draws the same sample.
    pub seed: Patch<i64>,
}

/// Where a bundle's job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "EvidenceBundleStatus", rename_all = "snake_case")]
pub enum BundleStatusView {
    /// Waiting for its turn (one bundle is built at a time).
    Queued,
    /// Writing its files.
    Running,
    /// The archive can be downloaded.
    Ready,
    /// Stopped: see `failure`.
    Failed,
}

impl From<BundleStatus> for BundleStatusView {
    fn from(s: BundleStatus) -> Self {
        match s {
            BundleStatus::Queued => Self::Queued,
            BundleStatus::Running => Self::Running,
            BundleStatus::Ready => Self::Ready,
            BundleStatus::Failed => Self::Failed,
        }
    }
}

/// An audit bundle and its job's progress.
///
/// - `status`: Where its job stands.
#[derive(Debug, Object)]
#[oai(rename = "EvidenceBundle")]
pub struct BundleView {
    /// Bundle id.
    pub id: Uuid,
    /// The first day of the period.
    pub from: NaiveDate,
    /// The last day of the period.
    pub to: NaiveDate,
    /// The seed the sessions were drawn with (null when they were chosen).
    pub seed: Nullable<i64>,
    /// The sessions it holds, in order of start.
    pub sessions: Vec<Uuid>,
    pub status: BundleStatusView,
    /// Files written so far.
    pub done: u32,
    /// Files to write (known once the job has planned them; 0 before).
    pub total: u32,
    /// Progress, 0–100 (100 once the archive is written).
    pub percent: u8,
    /// What the job is doing, in French.
    pub step: String,
    /// Where to download the archive (null until it is ready).
    pub download: Nullable<String>,
    /// The archive's size in bytes (null until ready).
    pub bytes: Nullable<u64>,
    /// The archive's SHA-256, hex (null until ready).
    pub sha256: Nullable<String>,
    /// Why the job failed (null unless `failed`).
    pub failure: Nullable<String>,
    /// When it was requested.
    pub created_at: Timestamp,
    /// When it was ready or failed (null before).
    pub finished_at: Nullable<Timestamp>,
}

impl From<Bundle> for BundleView {
    fn from(b: Bundle) -> Self {
        let percent = b.percent();
        let download = (b.status == BundleStatus::Ready)
            .then(|| format!("/api/v1/evidence/bundles/{}/archive", b.id));
        Self {
            id: b.id,
            from: b.from,
            to: b.to,
            seed: b.seed.into(),
            sessions: b.sessions,
            status: b.status.into(),
            done: b.done,
            total: b.total,
            percent,
            step: b.step,
            download: download.into(),
            bytes: b.bytes.into(),
            sha256: b.sha256.into(),
            failure: b.failure.into(),
            created_at: b.created_at.into(),
            finished_at: b.finished_at.map(Timestamp::from).into(),
        }
    }
}

/// A bundle was requested.
#[derive(ApiResponse)]
pub enum BundleAccepted {
    /// The job is recorded and starts in the background; follow it at `Location`.
    #[oai(status = 202)]
    Accepted(Json<BundleView>, #[oai(header = "Location")] String),
}

/// A bundle's archive.
#[derive(ApiResponse)]
pub enum BundleArchive {
    /// The ZIP, streamed from disk: the files and `manifeste.json` (every file's SHA-256, the
    /// files that could not be produced and why).
    #[oai(status = 200, content_type = "application/zip")]
    Zip(
        Binary<poem::Body>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}
