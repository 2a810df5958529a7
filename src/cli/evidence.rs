//! `passerelle evidence …`: the audit bundle from the shell, with a progress bar.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use passerelle::config::Settings;
use passerelle::db;
use passerelle::evidence::jobs::bundles::{self, Bundle, BundleRequest, BundleStatus};
use passerelle::principal::Principal;
use passerelle::state::AppState;
use uuid::Uuid;

#[derive(Debug, clap::Subcommand)]
pub enum EvidenceCommand {
    /// Build the audit bundle of a period (a ZIP: evidence report, sampled sessions' documents,
    /// complaints, improvement actions, manifest of SHA-256) and copy it to `--out`.
    Bundle {
        /// First day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: NaiveDate,
        /// Last day of the period (YYYY-MM-DD).
        #[arg(long)]
        to: NaiveDate,
        /// Where to write the ZIP; must not exist.
        #[arg(long)]
        out: PathBuf,
        /// Sessions to include (comma-separated ids); default: up to 10 drawn at random.
        #[arg(long, value_delimiter = ',')]
        sessions: Vec<Uuid>,
        /// Seed of the random draw (printed, so the same sample can be drawn again).
        #[arg(long)]
        seed: Option<i64>,
    },
}

pub async fn run(settings: Settings, command: EvidenceCommand) -> anyhow::Result<()> {
    let EvidenceCommand::Bundle {
        from,
        to,
        out,
        sessions,
        seed,
    } = command;
    if out.exists() {
        bail!("{} already exists; choose another --out", out.display());
    }
    let db = db::connect(&settings).await?;
    let state = AppState::new(db.clone(), settings)?;
    let request = BundleRequest {
        from,
        to,
        sessions: (!sessions.is_empty()).then_some(sessions),
        seed,
    };
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} fichiers  {wide_msg}")
            .context("progress bar template")?,
    );
    let show = |bundle: &Bundle| {
        bar.set_length(u64::from(bundle.total));
        bar.set_position(u64::from(bundle.done));
        bar.set_message(bundle.step.clone());
    };
    let bundle = bundles::run_now(&state, &Principal::system(), request, &show)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    if bundle.status != BundleStatus::Ready {
        bail!(
            "the bundle failed: {}",
            bundle.failure.as_deref().unwrap_or("unknown reason")
        );
    }
    let archive = bundles::archive_path(&state, &Principal::system(), bundle.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tokio::fs::copy(&archive, &out)
        .await
        .with_context(|| format!("copying the archive to {}", out.display()))?;
    println!(
        "audit bundle {} written to {} ({} files, {} bytes, sha256 {}; sample seed {})",
        bundle.id,
        out.display(),
        bundle.total,
        bundle.bytes.unwrap_or_default(),
        bundle.sha256.as_deref().unwrap_or("-"),
        bundle
            .seed
            .map_or_else(|| "none (sessions chosen)".to_string(), |s| s.to_string()),
    );
    db.close().await?;
    Ok(())
}
