//! The one write transaction, and the sync stamping that lives in it.
//!
//! Callers begin a [`WriteTx`], hand `&mut` of it to as many service calls as the operation needs
//! (one sync push, one enrolment with its waitlist promotion), and commit once. On SQLite it
//! begins `IMMEDIATE` (one writer at a time, no `SQLITE_BUSY` upgrade failures); on PostgreSQL it
//! is READ COMMITTED, and read-then-write rules take row locks with [`WriteTx::lock`] or use
//! [`WriteTx::update_where`], an atomic conditional update.
//!
//! Rows of synced tables ([`Synced`]) are written only through this helper. It writes them with
//! the pending marker `version = -1` and remembers which scopes saw the entity. [`WriteTx::commit`]
//! then, **last**, allocates the next space version `V`
//! (`UPDATE sync_space SET version = version + 1 … RETURNING version`), sets `version = V` on every
//! touched row, upserts one `sync_change` row per (scope, entity) and commits. Because the space
//! row stays locked from that `UPDATE` to the commit, versions are handed out in commit order on
//! both engines, which is what a device's cursor needs. Database triggers
//! (`migration::sync_guard`) reject any write to a synced table that skips this helper.
//!
//! [`WriteTx::savepoint`] / [`WriteTx::rollback_to`] / [`WriteTx::release`] nest a unit of work
//! (one pushed mutation): rolling back restores the database *and* the helper's pending stamps
//! and change-index entries, so a rolled-back mutation leaves no trace.

mod commit;
mod gate;
mod rows;
mod savepoint;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, PrimaryKeyTrait, QuerySelect,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::DEFAULT_SPACE;
use super::scope::Scope;
pub use super::synced::Synced;
use super::watermarks::Watermarks;
use crate::clock::Clock;
pub use gate::{Writer, WriterGate};
pub use savepoint::Savepoint;

type ChangeKey = (Scope, &'static str, Uuid);

/// What the helper will stamp at commit.
#[derive(Debug, Clone, Default)]
struct Pending {
    /// table → its id and version columns, and the ids of rows to stamp with the version.
    rows: BTreeMap<&'static str, (Columns, BTreeSet<Uuid>)>,
    /// (scope, entity type, id) → deleted (or left the scope).
    changes: BTreeMap<ChangeKey, bool>,
}

/// The id and version columns of a synced table, read from its entity.
#[derive(Debug, Clone, Copy)]
struct Columns {
    id: &'static str,
    version: &'static str,
}

/// A write transaction with sync stamping. Dropped without [`WriteTx::commit`] = rolled back.
pub struct WriteTx {
    txn: DatabaseTransaction,
    space_id: Uuid,
    now: DateTime<Utc>,
    pending: Pending,
    savepoints: u32,
    /// Advanced at commit with the tables written (the server's; none for CLI writes).
    watermarks: Option<Arc<Watermarks>>,
    /// Whether [`WriteTx::emit`] wrote outbox events (the commit then wakes the sender).
    emitted: bool,
    /// The server's writer gate, held until commit or drop (see [`WriterGate`]).
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl WriteTx {
    /// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite). [`WriteTx::now`] is the
    /// clock's time at this moment, one instant for everything the transaction writes.
    pub async fn begin(db: &DatabaseConnection, clock: &Clock) -> Result<Self, DbErr> {
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(Self {
            txn,
            space_id: DEFAULT_SPACE,
            now: clock.now(),
            pending: Pending::default(),
            savepoints: 0,
            watermarks: None,
            emitted: false,
            _turn: None,
        })
    }

    /// Begins a write transaction the server's way: after its turn at `gate`, and with a commit
    /// that advances `watermarks` (rendered responses then miss on their next read).
    pub async fn begin_observed(
        db: &DatabaseConnection,
        clock: &Clock,
        gate: &WriterGate,
        watermarks: Arc<Watermarks>,
    ) -> Result<Self, DbErr> {
        let turn = gate.turn().await;
        let mut tx = Self::begin(db, clock).await?;
        tx.watermarks = Some(watermarks);
        tx._turn = turn;
        Ok(tx)
    }

    /// The connection, for reads and for writes to tables that devices do not see.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// The instant the transaction began (from the application's clock).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Notes that outbox events were written (see [`crate::db::outbox`]).
    pub(crate) fn mark_emitted(&mut self) {
        self.emitted = true;
    }

    /// Reads a row and locks it until commit (`FOR UPDATE` on PostgreSQL; SQLite already holds
    /// the database write lock).
    pub async fn lock<E>(&self, id: Uuid) -> Result<Option<E::Model>, DbErr>
    where
        E: Synced,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        E::find_by_id(id).lock_exclusive().one(&self.txn).await
    }
}

/// Runs `work` in one write transaction and commits it if `work` succeeds (rolls back
/// otherwise). For callers outside request handlers: the CLI, start-up, demo data, tests.
/// Handlers begin and commit explicitly (`state.begin()` … `tx.commit()`), which keeps their
/// futures `Send` without extra bounds.
pub async fn run<T, E>(
    db: &DatabaseConnection,
    clock: &Clock,
    work: impl AsyncFnOnce(&mut WriteTx) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbErr>,
{
    let mut tx = WriteTx::begin(db, clock).await?;
    let out = work(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}
