//! The audit log's table: administrators' writes, appended by the HTTP layer
//! (`http::audit`), read by administrators, scrubbed of a person's data when they are erased.
//! Nothing updates an entry otherwise.

use chrono::{DateTime, Utc};
use entity::audit_entry::{self, ActiveModel, Column, Entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::paging::{Page, PageRequest};

pub type AuditRow = audit_entry::Model;

/// An administrator's write that took effect.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    pub operation: String,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub request: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn row(entry: NewAuditEntry) -> ActiveModel {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(entry.at),
        actor_id: Set(entry.actor_id),
        operation: Set(entry.operation),
        method: Set(entry.method),
        path: Set(entry.path),
        status: Set(i32::from(entry.status)),
        request: Set(entry.request),
        before: Set(entry.before),
        after: Set(entry.after),
    }
}

/// What an administrator filters the log by.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub operation: Option<String>,
    /// Entries whose path, request, before or after names this id.
    pub about: Option<Uuid>,
}

fn naming(id: Uuid) -> Condition {
    let pattern = format!("%{id}%");
    Condition::any()
        .add(Column::Path.like(pattern.clone()))
        .add(Column::Request.like(pattern.clone()))
        .add(Column::Before.like(pattern.clone()))
        .add(Column::After.like(pattern))
}

/// A page of entries, oldest first.
pub async fn entries(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<AuditRow>, DbErr> {
    let mut select = Entity::find();
    if let Some(actor) = filter.actor_id {
        select = select.filter(Column::ActorId.eq(actor));
    }
    if let Some(operation) = &filter.operation {
        select = select.filter(Column::Operation.eq(operation.as_str()));
    }
    if let Some(id) = filter.about {
        select = select.filter(naming(id));
    }
    super::query::keyset_page(db, select, Column::Id, page, |row| row.id).await
}

/// Forgets what the entries naming a person held about them (their request, before and after
/// bodies), keeping who did what and when: the erasure of that person (GDPR Art. 17).
pub async fn scrub_about(db: &impl ConnectionTrait, person_id: Uuid) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::Request, Expr::value(Option::<String>::None))
        .col_expr(Column::Before, Expr::value(Option::<String>::None))
        .col_expr(Column::After, Expr::value(Option::<String>::None))
        .filter(naming(person_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Entries appended in groups: the administrators' writes that answer together share one
/// transaction (one fsync), and each answers its client only once its entry is committed.
pub struct AuditBatch;

impl super::group::Batch for AuditBatch {
    type Job = NewAuditEntry;
    type Answer = Result<(), DbErr>;

    fn lane(_: &NewAuditEntry) -> u64 {
        0
    }

    fn run<'a>(
        &'a self,
        tx: &'a mut super::write::WriteTx,
        jobs: Vec<NewAuditEntry>,
    ) -> super::group::BatchFuture<'a, Vec<Result<(), DbErr>>> {
        Box::pin(async move {
            let count = jobs.len();
            let rows: Vec<ActiveModel> = jobs.into_iter().map(row).collect();
            let written = Entity::insert_many(rows)
                .exec_without_returning(tx.conn())
                .await
                .map(|_| ());
            match written {
                Ok(()) => (0..count).map(|_| Ok(())).collect(),
                Err(error) => {
                    let message = error.to_string();
                    (0..count)
                        .map(|_| Err(DbErr::Custom(message.clone())))
                        .collect()
                }
            }
        })
    }

    fn failed(error: DbErr) -> Result<(), DbErr> {
        Err(error)
    }
}
