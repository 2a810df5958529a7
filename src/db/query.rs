//! Query helpers every store uses: keyset pages, lookups by a list of ids, children grouped by
//! parent.

use std::collections::BTreeMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::paging::{Page, PageRequest};

/// Orders `select` by `id`, starts after the page's position and fetches one row more than the
/// page, so [`keyset_page`] knows whether another page follows.
pub fn keyset<E: EntityTrait>(select: Select<E>, id: E::Column, page: &PageRequest) -> Select<E> {
    let select = select.order_by_asc(id).limit(page.fetch());
    match page.after {
        Some(after) => select.filter(id.gt(after)),
        None => select,
    }
}

/// Runs a keyset query and cuts it to the page.
pub async fn keyset_page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    page: &PageRequest,
    id_of: impl Fn(&E::Model) -> Uuid,
) -> Result<Page<E::Model>, DbErr> {
    let rows = keyset(select, id, page).all(db).await?;
    Ok(page.finish(rows, id_of))
}

/// The rows whose `column` is one of `ids` (none for an empty list, without a query).
pub async fn by_ids<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    ids: &[Uuid],
) -> Result<Vec<E::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    E::find().filter(column.is_in(unique)).all(db).await
}

/// The rows whose `id_column` is one of `ids`, by id.
pub async fn map_by_ids<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id_column: E::Column,
    ids: &[Uuid],
    id_of: impl Fn(&E::Model) -> Uuid,
) -> Result<BTreeMap<Uuid, E::Model>, DbErr> {
    Ok(by_ids::<E>(db, id_column, ids)
        .await?
        .into_iter()
        .map(|row| (id_of(&row), row))
        .collect())
}

/// Groups rows by their parent, keeping their order within each parent.
pub fn group_by<K: Ord, T>(
    rows: impl IntoIterator<Item = T>,
    parent: impl Fn(&T) -> K,
) -> BTreeMap<K, Vec<T>> {
    let mut groups: BTreeMap<K, Vec<T>> = BTreeMap::new();
    for row in rows {
        groups.entry(parent(&row)).or_default().push(row);
    }
    groups
}

/// The rows of a table (not synced) that match `condition`: counted when `dry_run`, deleted
/// otherwise; answers how many. One condition for both, so a dry run counts exactly what the
/// real run removes.
pub async fn count_or_delete<E>(
    db: &impl ConnectionTrait,
    condition: sea_orm::Condition,
    dry_run: bool,
) -> Result<u64, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    if dry_run {
        E::find().filter(condition).count(db).await
    } else {
        Ok(E::delete_many()
            .filter(condition)
            .exec(db)
            .await?
            .rows_affected)
    }
}
