//! Writing synced rows: each insert, update or delete marks its row pending and records the
//! scopes that saw it, for [`WriteTx::commit`] to stamp.

use std::collections::BTreeSet;

use migration::sync_guard::PENDING_VERSION;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, Condition, DbErr, IdenStatic,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use super::{Columns, Synced, WriteTx};
use crate::db::scope::Scope;

impl WriteTx {
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
}
