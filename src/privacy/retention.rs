//! Retention (GDPR Art. 5(1)(e)): each kind of record is removed once its period has passed,
//! by `passerelle purge` — the attendance evidence, certificates, closed complaints, delivered
//! e-mails and dead login tokens, each context removing its own rows. Periods counted in years
//! end on 31 December (UTC): a session of 2026 kept 3 years is purged from 1 January 2030.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use sea_orm::DatabaseConnection;

use crate::accounts::service as accounts;
use crate::attendance::service as attendance;
use crate::clock::Clock;
use crate::config::RetentionSettings;
use crate::db::write::WriteTx;
use crate::documents::service as documents;
use crate::notifications::service as notifications;
use crate::privacy::service::Result;
use crate::quality::service as quality;
use crate::values::Purged;

/// The instant before which records of a kind are past their period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub attendance: DateTime<Utc>,
    pub certificates: DateTime<Utc>,
    pub complaints: DateTime<Utc>,
    pub messages: DateTime<Utc>,
    pub tokens: DateTime<Utc>,
}

/// 1 January of the year `years` before `now`'s: what ended before it was in a year whose end
/// is more than `years` years ago.
fn start_of_year_minus(now: DateTime<Utc>, years: u32) -> DateTime<Utc> {
    let year = now.year() - i32::try_from(years).unwrap_or(i32::MAX / 2);
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl Cutoffs {
    pub fn of(settings: &RetentionSettings, now: DateTime<Utc>) -> Self {
        Self {
            attendance: start_of_year_minus(now, settings.retain_attendance_years),
            certificates: start_of_year_minus(now, settings.retain_certificates_years),
            complaints: start_of_year_minus(now, settings.retain_complaints_years),
            messages: now - Duration::days(i64::from(settings.retain_messages_days)),
            tokens: now - Duration::days(i64::from(settings.retain_tokens_days)),
        }
    }
}

/// Applies the retention periods in one transaction — or, when `dry_run`, counts what it would
/// remove and removes nothing. Answers per kind of record how many.
pub async fn purge(
    db: &DatabaseConnection,
    clock: &Clock,
    settings: &RetentionSettings,
    dry_run: bool,
) -> Result<Vec<Purged>> {
    let cutoffs = Cutoffs::of(settings, clock.now());
    let mut tx = WriteTx::begin(db, clock).await?;
    let mut purged = attendance::purge_attendance(&mut tx, cutoffs.attendance, dry_run).await?;
    purged.push(documents::purge_certificates(tx.conn(), cutoffs.certificates, dry_run).await?);
    purged.push(quality::purge_complaints(tx.conn(), cutoffs.complaints, dry_run).await?);
    purged.push(notifications::purge_messages(tx.conn(), cutoffs.messages, dry_run).await?);
    purged.push(accounts::purge_tokens(tx.conn(), cutoffs.tokens, dry_run).await?);
    // A dry run's transaction is dropped: rolled back, nothing written.
    if !dry_run {
        tx.commit().await?;
    }
    Ok(purged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_in_years_ends_on_the_last_day_of_the_year() {
        let now = Utc.with_ymd_and_hms(2030, 1, 5, 10, 0, 0).unwrap();
        let cutoffs = Cutoffs::of(&RetentionSettings::default(), now);
        // A session of 2026 kept 3 years: purged from 2030, and not one of 2027.
        assert_eq!(
            cutoffs.attendance,
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()
        );
        assert_eq!(
            cutoffs.certificates,
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
        );
        assert_eq!(cutoffs.messages, now - Duration::days(365));
        assert_eq!(cutoffs.tokens, now - Duration::days(90));
    }
}
