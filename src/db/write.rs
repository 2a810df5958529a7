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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use migration::sync_guard::PENDING_VERSION;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, PrimaryKeyTrait,
    QueryFilter, QuerySelect, Set, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use uuid::Uuid;

use super::DEFAULT_SPACE;
use super::scope::Scope;
pub use super::synced::Synced;
use super::watermarks::Watermarks;
use crate::clock::Clock;
use sea_orm::IdenStatic;

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
    /// The server's writer gate, held until commit or drop (see [`WriterGate`]).
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

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

/// A savepoint inside a [`WriteTx`]: give it back to [`WriteTx::release`] or
/// [`WriteTx::rollback_to`].
#[must_use = "release or roll back the savepoint"]
pub struct Savepoint {
    name: String,
    snapshot: Pending,
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

    /// Reads a row and locks it until commit (`FOR UPDATE` on PostgreSQL; SQLite already holds
    /// the database write lock).
    pub async fn lock<E>(&self, id: Uuid) -> Result<Option<E::Model>, DbErr>
    where
        E: Synced,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        E::find_by_id(id).lock_exclusive().one(&self.txn).await
    }

    /// Inserts a synced row.
    pub async fn insert<E, A>(&mut self, mut row: A) -> Result<E::Model, DbErr>
    where
        E: Synced,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        row.set(E::version_column(), PENDING_VERSION.into());
        let model = row.insert(&self.txn).await?;
        self.record::<E>(None, Some(&model));
        Ok(model)
    }

    /// Inserts synced rows in one statement (rows are answered in no particular order).
    pub async fn insert_many<E, A>(&mut self, rows: Vec<A>) -> Result<Vec<E::Model>, DbErr>
    where
        E: Synced,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let rows = rows.into_iter().map(|mut row| {
            row.set(E::version_column(), PENDING_VERSION.into());
            row
        });
        let models = E::insert_many(rows).exec_with_returning(&self.txn).await?;
        for model in &models {
            self.record::<E>(None, Some(model));
        }
        Ok(models)
    }

    /// Updates a synced row; `before` is the row as read (locked) in this transaction, so that
    /// scopes the row leaves get a delete.
    pub async fn update<E, A>(&mut self, before: &E::Model, mut row: A) -> Result<E::Model, DbErr>
    where
        E: Synced,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        row.set(E::version_column(), PENDING_VERSION.into());
        let model = row.update(&self.txn).await?;
        self.record::<E>(Some(before), Some(&model));
        Ok(model)
    }

    /// One atomic conditional update of a synced row:
    /// `UPDATE … SET <set> WHERE id = ? AND <only_if> RETURNING *`. Answers the updated row, or
    /// `None` when the condition did not hold (no row affected, nothing stamped).
    ///
    /// This is how counters stay exact under concurrency on both engines, e.g.
    /// `SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity`: on PostgreSQL the
    /// `UPDATE` waits for a concurrent writer's row lock and re-checks the condition on the
    /// committed row (READ COMMITTED re-evaluation), on SQLite the transaction already holds
    /// the write lock. The update must not change the columns that decide the row's scopes.
    pub async fn update_where<E>(
        &mut self,
        id: Uuid,
        set: Vec<(E::Column, SimpleExpr)>,
        only_if: Condition,
    ) -> Result<Option<E::Model>, DbErr>
    where
        E: Synced,
    {
        let mut update =
            E::update_many().col_expr(E::version_column(), Expr::value(PENDING_VERSION));
        for (column, value) in set {
            update = update.col_expr(column, value);
        }
        let mut updated = update
            .filter(E::id_column().eq(id))
            .filter(only_if)
            .exec_with_returning(&self.txn)
            .await?;
        let Some(model) = updated.pop() else {
            return Ok(None);
        };
        self.record::<E>(Some(&model), Some(&model));
        Ok(Some(model))
    }

    /// Stamps a row whose aggregate changed in another table (e.g. a person's roles).
    pub async fn touch<E: Synced>(&mut self, model: &E::Model) -> Result<(), DbErr> {
        self.mark_pending::<E>(model).await?;
        self.record::<E>(Some(model), Some(model));
        Ok(())
    }

    /// Deletes a synced row; every scope that saw it gets a tombstone.
    pub async fn delete<E: Synced>(&mut self, model: E::Model) -> Result<(), DbErr> {
        self.mark_pending::<E>(&model).await?;
        E::delete_many()
            .filter(E::id_column().eq(E::id_of(&model)))
            .exec(&self.txn)
            .await?;
        self.record::<E>(Some(&model), None);
        Ok(())
    }

    /// Opens a savepoint. Everything written after it — rows, stamps, change-index entries — is
    /// undone by [`WriteTx::rollback_to`], kept by [`WriteTx::release`].
    pub async fn savepoint(&mut self) -> Result<Savepoint, DbErr> {
        self.savepoints += 1;
        let name = format!("passerelle_sp_{}", self.savepoints);
        self.raw(&format!("SAVEPOINT {name}")).await?;
        Ok(Savepoint {
            name,
            snapshot: self.pending.clone(),
        })
    }

    /// Keeps what was written since the savepoint.
    pub async fn release(&mut self, savepoint: Savepoint) -> Result<(), DbErr> {
        self.raw(&format!("RELEASE SAVEPOINT {}", savepoint.name))
            .await
    }

    /// Undoes what was written since the savepoint, in the database and in the pending stamps.
    /// The transaction stays usable (also on PostgreSQL after a failed statement).
    pub async fn rollback_to(&mut self, savepoint: Savepoint) -> Result<(), DbErr> {
        self.raw(&format!("ROLLBACK TO SAVEPOINT {}", savepoint.name))
            .await?;
        self.raw(&format!("RELEASE SAVEPOINT {}", savepoint.name))
            .await?;
        self.pending = savepoint.snapshot;
        Ok(())
    }

    async fn raw(&self, sql: &str) -> Result<(), DbErr> {
        let backend = self.txn.get_database_backend();
        self.txn
            .execute_raw(Statement::from_string(backend, sql.to_owned()))
            .await?;
        Ok(())
    }

    async fn mark_pending<E: Synced>(&self, model: &E::Model) -> Result<(), DbErr> {
        E::update_many()
            .col_expr(E::version_column(), Expr::value(PENDING_VERSION))
            .filter(E::id_column().eq(E::id_of(model)))
            .exec(&self.txn)
            .await?;
        Ok(())
    }

    fn record<E: Synced>(&mut self, before: Option<&E::Model>, after: Option<&E::Model>) {
        let Some(id) = after.or(before).map(E::id_of) else {
            return;
        };
        let new_scopes: BTreeSet<Scope> = after
            .map(E::scopes)
            .unwrap_or_default()
            .into_iter()
            .collect();
        for scope in before.map(E::scopes).unwrap_or_default() {
            if !new_scopes.contains(&scope) {
                self.pending
                    .changes
                    .insert((scope, E::ENTITY_TYPE, id), true);
            }
        }
        for scope in new_scopes {
            self.pending
                .changes
                .insert((scope, E::ENTITY_TYPE, id), false);
        }
        let columns = Columns {
            id: E::id_column().as_str(),
            version: E::version_column().as_str(),
        };
        let (_, ids) = self
            .pending
            .rows
            .entry(E::default().table_name())
            .or_insert_with(|| (columns, BTreeSet::new()));
        if after.is_some() {
            ids.insert(id);
        } else {
            ids.remove(&id);
        }
    }

    /// Allocates the space version (last), stamps every touched row and the change index, and
    /// commits. Returns the allocated version, or `None` when nothing synced was written.
    pub async fn commit(self) -> Result<Option<i64>, DbErr> {
        let Self {
            txn,
            space_id,
            pending,
            watermarks,
            ..
        } = self;
        let Pending { rows, changes } = pending;
        if changes.is_empty() && rows.values().all(|(_, ids)| ids.is_empty()) {
            txn.commit().await?;
            return Ok(None);
        }
        if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            take_parent_locks(&txn, &rows).await?;
        }
        let version = allocate_version(&txn, space_id).await?;
        let written: Vec<&'static str> = rows.keys().copied().collect();
        for (table, (columns, ids)) in rows.into_iter().filter(|(_, (_, ids))| !ids.is_empty()) {
            let stamp = Query::update()
                .table(Alias::new(table))
                .value(Alias::new(columns.version), version)
                .and_where(Expr::col(Alias::new(columns.id)).is_in(ids))
                .to_owned();
            txn.execute(&stamp).await?;
        }
        let entries: Vec<_> = changes
            .into_iter()
            .map(
                |((scope, entity_type, entity_id), deleted)| entity::sync_change::ActiveModel {
                    space_id: Set(space_id),
                    scope_key: Set(scope.key()),
                    entity_type: Set(entity_type.to_owned()),
                    entity_id: Set(entity_id),
                    version: Set(version),
                    deleted: Set(deleted),
                },
            )
            .collect();
        for chunk in entries.chunks(500) {
            use entity::sync_change::Column as C;
            entity::sync_change::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::columns([C::ScopeKey, C::EntityType, C::EntityId])
                        .update_columns([C::SpaceId, C::Version, C::Deleted])
                        .to_owned(),
                )
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        if let Some(watermarks) = watermarks {
            watermarks.advance(version, written);
        }
        Ok(Some(version))
    }
}

/// PostgreSQL checks a row's foreign keys again when a transaction updates a row it wrote
/// itself, locking each parent row `FOR KEY SHARE`. The final stamp is such an update: done
/// after the space row is locked, it could wait for a parent that a writer holds while that
/// writer waits for the space row — a deadlock. Touching the rows once more *before* the space
/// row (to the pending marker they already carry) takes those parent locks first; the stamp then
/// finds them held.
async fn take_parent_locks(
    txn: &DatabaseTransaction,
    rows: &BTreeMap<&'static str, (Columns, BTreeSet<Uuid>)>,
) -> Result<(), DbErr> {
    for (table, (columns, ids)) in rows.iter().filter(|(_, (_, ids))| !ids.is_empty()) {
        let touch = Query::update()
            .table(Alias::new(*table))
            .value(Alias::new(columns.version), PENDING_VERSION)
            .and_where(Expr::col(Alias::new(columns.id)).is_in(ids.iter().copied()))
            .to_owned();
        txn.execute(&touch).await?;
    }
    Ok(())
}

async fn allocate_version(txn: &DatabaseTransaction, space_id: Uuid) -> Result<i64, DbErr> {
    use entity::sync_space::Column as C;
    let updated = entity::sync_space::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .filter(C::SpaceId.eq(space_id))
        .exec_with_returning(txn)
        .await?;
    updated
        .first()
        .map(|space| space.version)
        .ok_or_else(|| DbErr::RecordNotFound(format!("sync space {space_id}")))
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
