//! The notifications' rows: outbox events waiting to be drafted, messages and their delivery,
//! preferences. Claims take rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL (two senders never
//! take the same row); on SQLite the writer gate already makes each claim the only writer.

use chrono::{DateTime, Utc};
use entity::notification::{self, Column, Entity};
use entity::{notification_preference, outbox_event};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{Category, Delivery, Message, MessageFilter, Preferences};
use crate::db::query::keyset_page;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

pub type Row = notification::Model;
pub type EventRow = outbox_event::Model;

fn skip_locked<S: QuerySelect>(select: S, backend: DbBackend) -> S {
    if backend == DbBackend::Postgres {
        select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
    } else {
        select
    }
}

/// Up to `limit` events not drafted yet, oldest first (a read: drafting happens outside any
/// write transaction).
pub async fn pending_events(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<EventRow>, DbErr> {
    outbox_event::Entity::find()
        .filter(outbox_event::Column::DoneAt.is_null())
        .order_by_asc(outbox_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The event, locked for this transaction, if it is still pending and no other sender holds it.
pub async fn claim_event(tx: &WriteTx, id: Uuid) -> Result<Option<EventRow>, DbErr> {
    let select =
        outbox_event::Entity::find_by_id(id).filter(outbox_event::Column::DoneAt.is_null());
    skip_locked(select, tx.conn().get_database_backend())
        .one(tx.conn())
        .await
}

/// Records a drafting attempt of the event: `done` (its messages are written, or it made none,
/// or it is set aside with its error) or to be tried again on a later pass.
pub async fn record_draft(
    tx: &WriteTx,
    id: Uuid,
    done: bool,
    error: Option<String>,
) -> Result<(), DbErr> {
    let mut update = outbox_event::Entity::update_many()
        .col_expr(outbox_event::Column::LastError, Expr::value(error))
        .col_expr(
            outbox_event::Column::Attempts,
            Expr::col(outbox_event::Column::Attempts).add(1),
        );
    if done {
        update = update.col_expr(outbox_event::Column::DoneAt, Expr::value(tx.now()));
    }
    update
        .filter(outbox_event::Column::Id.eq(id))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Writes messages (queued, due now).
pub async fn insert_messages(
    tx: &WriteTx,
    rows: Vec<notification::ActiveModel>,
) -> Result<(), DbErr> {
    for chunk in rows.chunks(100) {
        Entity::insert_many(chunk.to_vec())
            .exec_without_returning(tx.conn())
            .await?;
    }
    Ok(())
}

/// Up to `limit` messages due at `now` (queued or failed and due, or claimed by a sender whose
/// claim ran out), marked `sending` until `until`.
pub async fn claim_messages(
    tx: &WriteTx,
    limit: u64,
    until: DateTime<Utc>,
) -> Result<Vec<Row>, DbErr> {
    let now = tx.now();
    let due = Column::Status
        .is_in([Delivery::Queued.as_str(), Delivery::Failed.as_str()])
        .and(Column::NextAttemptAt.lte(now));
    let abandoned = Column::Status
        .eq(Delivery::Sending.as_str())
        .and(Column::ClaimedUntil.lt(now));
    let select = Entity::find()
        .filter(due.or(abandoned))
        .order_by_asc(Column::NextAttemptAt)
        .order_by_asc(Column::Id)
        .limit(limit);
    let rows = skip_locked(select, tx.conn().get_database_backend())
        .all(tx.conn())
        .await?;
    if rows.is_empty() {
        return Ok(rows);
    }
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(Delivery::Sending.as_str()))
        .col_expr(Column::ClaimedUntil, Expr::value(until))
        .filter(Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(tx.conn())
        .await?;
    Ok(rows)
}

/// What an attempt came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent,
    /// Failed; tried again at the given moment.
    Retry(DateTime<Utc>, String),
    /// Failed for the last time.
    Dead(String),
}

/// Records an attempt of a message this sender claimed.
pub async fn record_attempt(tx: &WriteTx, id: Uuid, outcome: Outcome) -> Result<(), DbErr> {
    let now = tx.now();
    let mut update = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    update = match outcome {
        Outcome::Sent => update
            .col_expr(Column::Status, Expr::value(Delivery::Sent.as_str()))
            .col_expr(Column::SentAt, Expr::value(now))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None)),
        Outcome::Retry(at, error) => update
            .col_expr(Column::Status, Expr::value(Delivery::Failed.as_str()))
            .col_expr(Column::NextAttemptAt, Expr::value(at))
            .col_expr(Column::LastError, Expr::value(error)),
        Outcome::Dead(error) => update
            .col_expr(Column::Status, Expr::value(Delivery::Dead.as_str()))
            .col_expr(Column::LastError, Expr::value(error)),
    };
    update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(Delivery::Sending.as_str()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// Puts a dead message back in the queue, due now, with its attempts reset. `false` when the
/// message is not dead.
pub async fn requeue(tx: &WriteTx, id: Uuid) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(Delivery::Queued.as_str()))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(tx.now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(Delivery::Dead.as_str()))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn message(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Row>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// A page of messages, in order of creation.
pub async fn messages(
    db: &impl ConnectionTrait,
    filter: &MessageFilter,
    page: &PageRequest,
) -> Result<Page<Row>, DbErr> {
    let mut select = Entity::find();
    if let Some(status) = filter.status {
        select = select.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(person) = filter.person_id {
        select = select.filter(Column::PersonId.eq(person));
    }
    if let Some(event) = &filter.event {
        select = select.filter(Column::EventKind.eq(event.as_str()));
    }
    if let Some(subject) = filter.subject_id {
        select = select.filter(Column::SubjectId.eq(subject));
    }
    keyset_page(db, select, Column::Id, page, |row| row.id).await
}

/// A message row as the API shows it.
pub fn message_of(row: Row) -> Message {
    Message {
        id: row.id,
        event: row.event_kind,
        subject_id: row.subject_id,
        template: row.template,
        category: Category::parse(&row.category).unwrap_or(Category::Service),
        person_id: row.person_id,
        recipient: row.recipient,
        subject: row.subject,
        message_id: row.message_id,
        attachments: row
            .attachments
            .split(',')
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        status: Delivery::parse(&row.status).unwrap_or(Delivery::Queued),
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error,
        created_at: row.created_at,
        sent_at: row.sent_at,
    }
}

/// The message an unsubscribe token belongs to.
pub async fn by_unsubscribe_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<Row>, DbErr> {
    Entity::find()
        .filter(Column::UnsubscribeHash.eq(hash))
        .one(db)
        .await
}

pub async fn preferences(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Preferences, DbErr> {
    Ok(notification_preference::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .map(|row| Preferences {
            reminders: row.reminders,
            club_news: row.club_news,
        })
        .unwrap_or_default())
}

pub async fn set_preferences(
    tx: &WriteTx,
    person_id: Uuid,
    preferences: Preferences,
) -> Result<(), DbErr> {
    use notification_preference::Column as P;
    let row = notification_preference::ActiveModel {
        person_id: Set(person_id),
        reminders: Set(preferences.reminders),
        club_news: Set(preferences.club_news),
        updated_at: Set(tx.now()),
    };
    notification_preference::Entity::insert(row)
        .on_conflict(
            OnConflict::column(P::PersonId)
                .update_columns([P::Reminders, P::ClubNews, P::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(tx.conn())
        .await?;
    Ok(())
}

/// Every message to a person, in order of creation.
pub async fn messages_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<Row>, DbErr> {
    use sea_orm::QueryOrder;
    Entity::find()
        .filter(Column::PersonId.eq(person_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// Deletes every message to a person (their bytes hold the address and name) and their
/// preferences; answers how many of each.
pub async fn delete_personal_rows(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<(u64, u64), DbErr> {
    let messages = Entity::delete_many()
        .filter(Column::PersonId.eq(person_id))
        .exec(db)
        .await?
        .rows_affected;
    let preferences = notification_preference::Entity::delete_many()
        .filter(notification_preference::Column::PersonId.eq(person_id))
        .exec(db)
        .await?
        .rows_affected;
    Ok((messages, preferences))
}

/// Messages sent or dead and drafted before `before` (counted when `dry_run`, else deleted).
pub async fn purge_messages(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<u64, DbErr> {
    let condition = sea_orm::Condition::all()
        .add(Column::Status.is_in([Delivery::Sent.as_str(), Delivery::Dead.as_str()]))
        .add(Column::CreatedAt.lt(before));
    crate::db::query::count_or_delete::<Entity>(db, condition, dry_run).await
}
