//! The change index as a pull reads it: one page of (version, entity type, entity id) keys for
//! a device's scopes, whether each is live in the scopes it keeps, and the checksum of what it
//! keeps. Raw SQL, the same text on both engines but for the placeholders.

use std::collections::{BTreeSet, HashSet};

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};
use uuid::Uuid;

use crate::db::DEFAULT_SPACE;

/// One key of a page.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct ChangeKey {
    pub version: i64,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// 1 when some scope the device keeps sees the entity live at this version.
    pub live: i32,
}

/// Which scopes a page reads, and from where.
pub struct PageQuery<'a> {
    /// Scopes complete up to `since`: only later changes.
    pub full: &'a [String],
    pub since: i64,
    /// Scopes read from version 0 (being added, or being removed).
    pub from_start: &'a [String],
    /// The scopes the device keeps (full and added): a key live in one of them is an upsert.
    pub kept: &'a [String],
    /// Keys after this one.
    pub after: Option<&'a (i64, String, Uuid)>,
    pub limit: u64,
}

/// Placeholders for the backend.
struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        if self.backend == DbBackend::Postgres {
            let n = self.values.len();
            self.text.push_str(&format!("${n}"));
        } else {
            self.text.push('?');
        }
        self
    }

    fn list<T: Clone + Into<Value>>(&mut self, items: &[T]) -> &mut Self {
        self.push("(");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(item.clone());
        }
        self.push(")")
    }

    fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

/// One page of keys, in key order.
pub async fn page(db: &impl ConnectionTrait, q: PageQuery<'_>) -> Result<Vec<ChangeKey>, DbErr> {
    if q.full.is_empty() && q.from_start.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT version, entity_type, entity_id, ");
    if q.kept.is_empty() {
        sql.push("0 AS live ");
    } else {
        sql.push("MAX(CASE WHEN scope_key IN ")
            .list(q.kept)
            .push(" AND NOT deleted THEN 1 ELSE 0 END) AS live ");
    }
    sql.push("FROM sync_change WHERE space_id = ")
        .bind(DEFAULT_SPACE)
        .push(" AND (");
    let mut first = true;
    if !q.full.is_empty() {
        sql.push("(scope_key IN ")
            .list(q.full)
            .push(" AND version > ")
            .bind(q.since)
            .push(")");
        first = false;
    }
    if !q.from_start.is_empty() {
        if !first {
            sql.push(" OR ");
        }
        sql.push("scope_key IN ").list(q.from_start);
    }
    sql.push(")");
    if let Some((version, entity_type, entity_id)) = q.after {
        sql.push(" AND (version > ")
            .bind(*version)
            .push(" OR (version = ")
            .bind(*version)
            .push(" AND (entity_type > ")
            .bind(entity_type.clone())
            .push(" OR (entity_type = ")
            .bind(entity_type.clone())
            .push(" AND entity_id > ")
            .bind(*entity_id)
            .push("))))");
    }
    sql.push(" GROUP BY version, entity_type, entity_id")
        .push(" ORDER BY version, entity_type, entity_id LIMIT ")
        .bind(i64::try_from(q.limit).unwrap_or(i64::MAX));
    ChangeKey::find_by_statement(sql.statement()).all(db).await
}

#[derive(Debug, FromQueryResult)]
struct EntityKey {
    entity_type: String,
    entity_id: Uuid,
}

/// Of `candidates`, the (type, id) pairs live in one of `kept` now.
pub async fn live_in(
    db: &impl ConnectionTrait,
    kept: &[String],
    candidates: &[(String, Uuid)],
) -> Result<HashSet<(String, Uuid)>, DbErr> {
    let mut live = HashSet::new();
    if kept.is_empty() || candidates.is_empty() {
        return Ok(live);
    }
    let wanted: HashSet<&(String, Uuid)> = candidates.iter().collect();
    let ids: Vec<Uuid> = candidates
        .iter()
        .map(|(_, id)| *id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT DISTINCT entity_type, entity_id FROM sync_change WHERE space_id = ")
            .bind(DEFAULT_SPACE)
            .push(" AND NOT deleted AND scope_key IN ")
            .list(kept)
            .push(" AND entity_id IN ")
            .list(chunk);
        for key in EntityKey::find_by_statement(sql.statement())
            .all(db)
            .await?
        {
            let pair = (key.entity_type, key.entity_id);
            if wanted.contains(&pair) {
                live.insert(pair);
            }
        }
    }
    Ok(live)
}

#[derive(Debug, FromQueryResult)]
struct LiveKey {
    entity_type: String,
    entity_id: Uuid,
    version: i64,
}

/// Every entity live in `kept`, with its version: what a device that is up to date holds.
pub async fn live_keys(
    db: &impl ConnectionTrait,
    kept: &[String],
) -> Result<Vec<(String, Uuid, i64)>, DbErr> {
    if kept.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT entity_type, entity_id, MAX(version) AS version FROM sync_change")
        .push(" WHERE space_id = ")
        .bind(DEFAULT_SPACE)
        .push(" AND NOT deleted AND scope_key IN ")
        .list(kept)
        .push(" GROUP BY entity_type, entity_id");
    Ok(LiveKey::find_by_statement(sql.statement())
        .all(db)
        .await?
        .into_iter()
        .map(|k| (k.entity_type, k.entity_id, k.version))
        .collect())
}
