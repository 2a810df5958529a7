//! `passerelle purge [--dry-run]`: applies the retention periods and prints, per kind of
//! record, how many were removed (or would be).

use passerelle::clock::Clock;
use passerelle::config::Settings;
use passerelle::db;
use passerelle::privacy::retention::{self, Cutoffs};

pub async fn run(settings: Settings, dry_run: bool) -> anyhow::Result<()> {
    let db = db::connect(&settings).await?;
    let clock = Clock::system();
    let cutoffs = Cutoffs::of(&settings.retention, clock.now());
    let purged = retention::purge(&db, &clock, &settings.retention, dry_run).await?;
    let verb = if dry_run { "would remove" } else { "removed" };
    println!(
        "retention: attendance before {}, certificates before {}, complaints closed before {}, e-mails before {}, login tokens dead before {}",
        cutoffs.attendance.date_naive(),
        cutoffs.certificates.date_naive(),
        cutoffs.complaints.date_naive(),
        cutoffs.messages.date_naive(),
        cutoffs.tokens.date_naive(),
    );
    for p in &purged {
        println!("{verb} {:>8} {}", p.count, p.record);
    }
    let total: u64 = purged.iter().map(|p| p.count).sum();
    println!(
        "{verb} {total} records in all{}",
        if dry_run {
            " (dry run: nothing removed)"
        } else {
            ""
        }
    );
    Ok(())
}
