//! `passerelle backup` and `passerelle restore`, with their progress on a terminal.

use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use passerelle::config::Settings;
use passerelle::db;
use passerelle::ops::backup::{self, Place, Step, Unit};

/// Copies the database of `settings` to `output` while the service may run.
pub async fn backup(settings: Settings, output: &Path) -> anyhow::Result<()> {
    let db = db::connect(&settings).await?;
    let bar = progress_bar()?;
    let written = backup::backup(&db, Place::of(&settings), output, &|step| {
        show(&bar, &step);
    })
    .await;
    bar.finish_and_clear();
    let written = written?;
    println!(
        "backup written to {} ({})",
        written.path.display(),
        indicatif::HumanBytes(written.bytes)
    );
    Ok(())
}

/// Restores `input` into the (stopped) database of `settings`.
pub async fn restore(settings: Settings, input: &Path, force: bool) -> anyhow::Result<()> {
    let bar = progress_bar()?;
    let restored = backup::restore(&settings, None, input, force, &|step| show(&bar, &step)).await;
    bar.finish_and_clear();
    let restored = restored?;
    restored.db.close().await?;
    println!(
        "restored {}; the sync epoch is now {}: every device syncs in full at its next pull",
        input.display(),
        restored.epoch
    );
    Ok(())
}

fn progress_bar() -> anyhow::Result<ProgressBar> {
    // indicatif draws on standard error only when it is a terminal.
    Ok(ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {msg}").context("progress bar template")?,
    ))
}

fn show(bar: &ProgressBar, step: &Step) {
    bar.set_length(step.total);
    bar.set_position(step.done);
    bar.set_message(match step.unit {
        Unit::Bytes => format!(
            "{} / {}",
            indicatif::HumanBytes(step.done),
            indicatif::HumanBytes(step.total)
        ),
        Unit::Tables => format!("{} / {} tables", step.done, step.total),
    });
}
