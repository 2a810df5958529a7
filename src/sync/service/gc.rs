//! Tombstone GC. Each run first records where the space stands now (a checkpoint), then purges
//! the tombstones at or below the last version checkpointed at least the retention ago, and
//! raises the space's GC version to it: a cursor older than that gets `reset`. The server runs
//! it every hour; `passerelle sync-gc` and `POST /api/v1/sync/gc` run it at once.

use chrono::Duration;
use sea_orm::ConnectionTrait;

use super::Result;
use crate::clock::Clock;
use crate::sync::store;

/// What a GC run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collected {
    /// Versions at or below this may have lost their tombstones.
    pub gc_version: i64,
    /// Tombstones purged by this run.
    pub purged: u64,
    /// The space version when it ran.
    pub version: i64,
}

/// Runs GC with `retention_days` of retention.
pub async fn collect(
    db: &impl ConnectionTrait,
    clock: &Clock,
    retention_days: i64,
) -> Result<Collected> {
    let now = clock.now();
    let space = store::space(db).await?;
    store::checkpoint(db, space.version, now).await?;
    let horizon = store::version_at(db, now - Duration::days(retention_days.max(0))).await?;
    let purged = if horizon > space.gc_version {
        store::collect_tombstones(db, horizon).await?
    } else {
        0
    };
    Ok(Collected {
        gc_version: horizon.max(space.gc_version),
        purged,
        version: space.version,
    })
}

/// GC every hour until the server stops (errors are logged and tried again next hour).
pub async fn collect_every_hour(
    db: sea_orm::DatabaseConnection,
    clock: Clock,
    retention_days: i64,
) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match collect(&db, &clock, retention_days).await {
            Ok(done) if done.purged > 0 => {
                tracing::info!(
                    purged = done.purged,
                    gc_version = done.gc_version,
                    "sync GC"
                )
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "sync GC failed"),
        }
    }
}

/// Gives the space a new epoch: every device is answered `reset` at its next pull and syncs in
/// full (its pending mutations pushed first). Run it after restoring a backup.
pub async fn new_epoch(db: &impl ConnectionTrait) -> Result<uuid::Uuid> {
    Ok(store::new_epoch(db).await?)
}
