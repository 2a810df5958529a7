//! The watch register (not synced: written through the transaction's connection).

use entity::watch_entry as watch;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::query::keyset_page;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::quality::model::watch::{WatchEntry, WatchFilter, WatchInput, WatchKind};

pub type WatchRow = watch::Model;

pub fn entry_of(row: WatchRow) -> WatchEntry {
    WatchEntry {
        id: row.id,
        kind: row.kind,
        source: row.source,
        observed_on: row.observed_on,
        summary: row.summary,
        impact: row.impact,
        action_taken: row.action_taken,
        action_id: row.action_id,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn entry(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<WatchEntry>, DbErr> {
    Ok(watch::Entity::find_by_id(id).one(db).await?.map(entry_of))
}

pub async fn lock_entry(tx: &WriteTx, id: Uuid) -> Result<Option<WatchRow>, DbErr> {
    watch::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx.conn())
        .await
}

/// A page of entries, by id, of one kind and observed within a period when asked.
pub async fn entries(
    db: &impl ConnectionTrait,
    filter: &WatchFilter,
    page: &PageRequest,
) -> Result<Page<WatchEntry>, DbErr> {
    let mut select = watch::Entity::find();
    if let Some(kind) = filter.kind {
        select = select.filter(watch::Column::Kind.eq(kind));
    }
    if let Some(from) = filter.from {
        select = select.filter(watch::Column::ObservedOn.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(watch::Column::ObservedOn.lte(to));
    }
    Ok(keyset_page(db, select, watch::Column::Id, page, |r| r.id)
        .await?
        .map(entry_of))
}

/// Inserts an entry whose every field the service has settled.
pub async fn insert_entry(tx: &WriteTx, by: Uuid, new: &WatchInput) -> Result<WatchEntry, DbErr> {
    let now = tx.now();
    let row = watch::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(new.kind.unwrap_or(WatchKind::Regulatory)),
        source: Set(new.source.clone().unwrap_or_default()),
        observed_on: Set(new.observed_on.unwrap_or_else(|| now.date_naive())),
        summary: Set(new.summary.clone().unwrap_or_default()),
        impact: Set(new.impact.clone().unwrap_or_default()),
        action_taken: Set(new.action_taken.clone().unwrap_or_default()),
        action_id: Set(new.action_id),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(entry_of(row.insert(tx.conn()).await?))
}

pub async fn update_entry(
    tx: &WriteTx,
    before: WatchRow,
    changes: &WatchInput,
) -> Result<WatchEntry, DbErr> {
    let mut row = before.into_active_model();
    if let Some(v) = changes.kind {
        row.kind = Set(v);
    }
    if let Some(v) = &changes.source {
        row.source = Set(v.clone());
    }
    if let Some(v) = changes.observed_on {
        row.observed_on = Set(v);
    }
    if let Some(v) = &changes.summary {
        row.summary = Set(v.clone());
    }
    if let Some(v) = &changes.impact {
        row.impact = Set(v.clone());
    }
    if let Some(v) = &changes.action_taken {
        row.action_taken = Set(v.clone());
    }
    if let Some(v) = changes.action_id {
        row.action_id = Set(Some(v));
    }
    row.updated_at = Set(tx.now());
    Ok(entry_of(row.update(tx.conn()).await?))
}

pub async fn delete_entry(tx: &WriteTx, id: Uuid) -> Result<(), DbErr> {
    watch::Entity::delete_by_id(id).exec(tx.conn()).await?;
    Ok(())
}
