//! Reports and their steps (not synced). Only the receipt code's hash is stored.

use chrono::{DateTime, Utc};
use entity::safety_report::{self, Column, Entity};
use entity::safety_report_step as step;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use crate::db::query::keyset_page;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::quality::model::{NewReport, Report, ReportStep, StepRecord};

pub type ReportRow = safety_report::Model;
pub type StepRow = step::Model;

pub fn step_of(row: StepRow) -> StepRecord {
    StepRecord {
        step: row.step,
        note: row.note,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
    }
}

pub fn report_of(row: ReportRow, steps: Vec<StepRow>) -> Report {
    Report {
        id: row.id,
        category: row.category,
        text: row.text,
        contact: row.contact,
        status: row.status,
        received_at: row.received_at,
        updated_at: row.updated_at,
        steps: steps.into_iter().map(step_of).collect(),
    }
}

/// Inserts a report with its `received` step.
pub async fn insert_report(
    tx: &mut WriteTx,
    new: NewReport,
    receipt_hash: String,
) -> Result<ReportRow, DbErr> {
    let now = tx.now();
    let row = safety_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        category: Set(new.category),
        text: Set(new.text),
        contact: Set(new.contact),
        receipt_hash: Set(receipt_hash),
        status: Set(ReportStep::Received),
        received_at: Set(now),
        updated_at: Set(now),
    }
    .insert(tx.conn())
    .await?;
    insert_step(tx, row.id, ReportStep::Received, None, None, now).await?;
    Ok(row)
}

async fn insert_step(
    tx: &mut WriteTx,
    report_id: Uuid,
    step: ReportStep,
    note: Option<String>,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<StepRow, DbErr> {
    step::ActiveModel {
        id: Set(Uuid::now_v7()),
        report_id: Set(report_id),
        step: Set(step),
        note: Set(note),
        recorded_by: Set(by),
        recorded_at: Set(at),
    }
    .insert(tx.conn())
    .await
}

pub async fn report(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ReportRow>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn report_by_receipt(
    db: &impl ConnectionTrait,
    receipt_hash: &str,
) -> Result<Option<ReportRow>, DbErr> {
    Entity::find()
        .filter(Column::ReceiptHash.eq(receipt_hash))
        .one(db)
        .await
}

/// A report's steps, oldest first.
pub async fn steps_of(db: &impl ConnectionTrait, report_id: Uuid) -> Result<Vec<StepRow>, DbErr> {
    step::Entity::find()
        .filter(step::Column::ReportId.eq(report_id))
        .order_by_asc(step::Column::RecordedAt)
        .order_by_asc(step::Column::Id)
        .all(db)
        .await
}

/// Moves a report from `from` to `to` and records the step, only if it still stands at `from`
/// (`None` otherwise: another writer moved it first).
pub async fn advance_report(
    tx: &mut WriteTx,
    id: Uuid,
    from: ReportStep,
    to: ReportStep,
    note: Option<String>,
    by: Uuid,
) -> Result<Option<ReportRow>, DbErr> {
    let now = tx.now();
    let mut updated = Entity::update_many()
        .col_expr(Column::Status, SimpleExpr::from(Expr::value(to)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from))
        .exec_with_returning(tx.conn())
        .await?;
    let Some(row) = updated.pop() else {
        return Ok(None);
    };
    insert_step(tx, id, to, note, Some(by), now).await?;
    Ok(Some(row))
}

/// A page of reports in order of receipt, optionally only those at `status`.
pub async fn reports(
    db: &impl ConnectionTrait,
    status: Option<ReportStep>,
    page: &PageRequest,
) -> Result<Page<ReportRow>, DbErr> {
    let mut select = Entity::find();
    if let Some(status) = status {
        select = select.filter(Column::Status.eq(status));
    }
    keyset_page(db, select, Column::Id, page, |row| row.id).await
}

/// The steps of each of `reports`, oldest first, by report.
pub async fn steps_by_report(
    db: &impl ConnectionTrait,
    reports: &[Uuid],
) -> Result<std::collections::BTreeMap<Uuid, Vec<StepRow>>, DbErr> {
    let mut rows =
        crate::db::query::by_ids::<step::Entity>(db, step::Column::ReportId, reports).await?;
    rows.sort_by_key(|row| (row.recorded_at, row.id));
    Ok(crate::db::query::group_by(rows, |row| row.report_id))
}
