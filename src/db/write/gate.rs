//! The writer gate (one SQLite writer at a time, queued in the process) and the [`Writer`] that
//! begins the server's write transactions behind it.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};

use super::WriteTx;
use crate::clock::Clock;
use crate::db::watermarks::Watermarks;

/// One writer at a time, queued in the process (SQLite only). Without it, SQLite makes waiting
/// writers poll for its lock with sleeps of up to 100 ms (its busy handler), which turns a queue
/// of a few milliseconds into a p99 of hundreds; with it, they wait in order on an async
/// semaphore and `BEGIN IMMEDIATE` never waits. Other processes still meet the busy timeout.
#[derive(Debug, Clone)]
pub struct WriterGate(Option<Arc<tokio::sync::Semaphore>>);

impl WriterGate {
    /// A gate for an SQLite database; on PostgreSQL writers run concurrently (row locks decide).
    pub fn for_backend(backend: sea_orm::DbBackend) -> Self {
        Self(
            (backend == sea_orm::DbBackend::Sqlite)
                .then(|| Arc::new(tokio::sync::Semaphore::new(1))),
        )
    }

    /// Waits for this process's turn to write (at once on PostgreSQL).
    pub async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        match &self.0 {
            Some(gate) => gate.clone().acquire_owned().await.ok(),
            None => None,
        }
    }
}

/// What begins the server's write transactions: the pool, the clock, the writer gate and the
/// watermarks that commits advance. Cheap to clone.
#[derive(Clone)]
pub struct Writer {
    pub db: DatabaseConnection,
    pub clock: Clock,
    pub gate: WriterGate,
    pub watermarks: Arc<Watermarks>,
}

impl Writer {
    /// Begins a write transaction the server's way ([`WriteTx::begin_observed`]).
    pub async fn begin(&self) -> Result<WriteTx, DbErr> {
        WriteTx::begin_observed(&self.db, &self.clock, &self.gate, self.watermarks.clone()).await
    }
}
