//! Complaints (not synced): rows built from domain inputs, rows turned into complaints.

use chrono::{DateTime, Utc};
use entity::complaint::{self, ActiveModel, Column, Entity};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::db::query::keyset_page;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::quality::model::{Complaint, ComplaintFilter, ComplaintStatus, Done, NewComplaint};

pub type ComplaintRow = complaint::Model;

fn done(at: Option<DateTime<Utc>>, by: Option<Uuid>) -> Option<Done> {
    Some(Done { at: at?, by: by? })
}

/// The complaint a row holds; `overdue_before` is the instant before which an unacknowledged
/// complaint is overdue.
pub fn complaint_of(row: ComplaintRow, overdue_before: DateTime<Utc>) -> Complaint {
    Complaint {
        overdue: row.status == ComplaintStatus::Received && row.received_at <= overdue_before,
        id: row.id,
        channel: row.channel,
        contact: row.contact,
        text: row.text,
        session_id: row.session_id,
        training_id: row.training_id,
        club_id: row.club_id,
        status: row.status,
        received_at: row.received_at,
        filed_by: row.filed_by,
        acknowledged: done(row.acknowledged_at, row.acknowledged_by),
        answered: done(row.answered_at, row.answered_by),
        answer: row.answer,
        closed: done(row.closed_at, row.closed_by),
        outcome: row.outcome,
    }
}

pub async fn insert_complaint(
    tx: &mut WriteTx,
    new: NewComplaint,
    filed_by: Option<Uuid>,
) -> Result<ComplaintRow, DbErr> {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        channel: Set(new.channel),
        contact: Set(new.contact),
        text: Set(new.text),
        session_id: Set(new.session_id),
        training_id: Set(new.training_id),
        club_id: Set(new.club_id),
        status: Set(ComplaintStatus::Received),
        received_at: Set(tx.now()),
        filed_by: Set(filed_by),
        acknowledged_at: Set(None),
        acknowledged_by: Set(None),
        answered_at: Set(None),
        answered_by: Set(None),
        answer: Set(None),
        closed_at: Set(None),
        closed_by: Set(None),
        outcome: Set(None),
    }
    .insert(tx.conn())
    .await
}

pub async fn complaint(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ComplaintRow>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// One step of a complaint, recorded only if it still stands at `from`:
/// `UPDATE … SET status = to, <at> = now, <by> = by[, <text> = text] WHERE id = ? AND status =
/// from RETURNING *`. `None` when another writer moved it first.
pub async fn advance_complaint(
    tx: &mut WriteTx,
    id: Uuid,
    from: ComplaintStatus,
    to: ComplaintStatus,
    by: Uuid,
    text: Option<String>,
) -> Result<Option<ComplaintRow>, DbErr> {
    let (at_column, by_column, text_column) = match to {
        ComplaintStatus::Acknowledged => (Column::AcknowledgedAt, Column::AcknowledgedBy, None),
        ComplaintStatus::Answered => (Column::AnsweredAt, Column::AnsweredBy, Some(Column::Answer)),
        ComplaintStatus::Closed => (Column::ClosedAt, Column::ClosedBy, Some(Column::Outcome)),
        ComplaintStatus::Received => return Ok(None),
    };
    let mut update = Entity::update_many()
        .col_expr(Column::Status, SimpleExpr::from(Expr::value(to)))
        .col_expr(at_column, Expr::value(tx.now()))
        .col_expr(by_column, Expr::value(by));
    if let (Some(column), Some(text)) = (text_column, text) {
        update = update.col_expr(column, Expr::value(text));
    }
    let mut updated = update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from))
        .exec_with_returning(tx.conn())
        .await?;
    Ok(updated.pop())
}

/// A page of complaints in order of receipt: all of them, or only those `filed_by` filed.
pub async fn complaints(
    db: &impl ConnectionTrait,
    filed_by: Option<Uuid>,
    filter: ComplaintFilter,
    overdue_before: DateTime<Utc>,
    page: &PageRequest,
) -> Result<Page<ComplaintRow>, DbErr> {
    let mut select = Entity::find();
    if let Some(person) = filed_by {
        select = select.filter(Column::FiledBy.eq(person));
    }
    if let Some(status) = filter.status {
        select = select.filter(Column::Status.eq(status));
    }
    if filter.overdue {
        select = select
            .filter(Column::Status.eq(ComplaintStatus::Received))
            .filter(Column::ReceivedAt.lte(overdue_before));
    }
    keyset_page(db, select, Column::Id, page, |row| row.id).await
}
