//! Retention: the attendance evidence of sessions past their retention period.

use entity::{attendance_event, attendance_mark, signature, slot_signoff};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::attendance::model::ActivityKind;
use crate::db::query::count_or_delete;
use crate::db::write::WriteTx;

/// How many rows of each kind a purge removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgedEvidence {
    pub marks: u64,
    pub countersignatures: u64,
    pub history: u64,
    pub signatures: u64,
}

/// Removes the marks, countersignatures and history of `sessions` (the devices that saw them
/// get tombstones), then every signature image uploaded before `before` that no remaining mark
/// or countersignature shows; counts them instead when `dry_run`.
pub async fn purge_evidence(
    tx: &mut WriteTx,
    sessions: &[Uuid],
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<PurgedEvidence, DbErr> {
    let ids = || sessions.iter().copied();
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ActivityKind.eq(ActivityKind::Slot))
        .filter(attendance_mark::Column::ContextId.is_in(ids()))
        .all(tx.conn())
        .await?;
    let signoffs = slot_signoff::Entity::find()
        .filter(slot_signoff::Column::SessionId.is_in(ids()))
        .all(tx.conn())
        .await?;
    let mut purged = PurgedEvidence {
        marks: marks.len() as u64,
        countersignatures: signoffs.len() as u64,
        ..PurgedEvidence::default()
    };
    if !dry_run {
        for row in marks {
            tx.delete::<attendance_mark::Entity>(row).await?;
        }
        for row in signoffs {
            tx.delete::<slot_signoff::Entity>(row).await?;
        }
    }
    let history = Condition::all().add(attendance_event::Column::ContextId.is_in(ids()));
    purged.history =
        count_or_delete::<attendance_event::Entity>(tx.conn(), history, dry_run).await?;
    // Kept: an image a mark or countersignature of a session not purged shows.
    let shown_by_marks = Query::select()
        .column(attendance_mark::Column::SignatureSha256)
        .from(attendance_mark::Entity)
        .and_where(attendance_mark::Column::SignatureSha256.is_not_null())
        .and_where(
            Condition::any()
                .add(attendance_mark::Column::ActivityKind.ne(ActivityKind::Slot))
                .add(attendance_mark::Column::ContextId.is_not_in(ids()))
                .into(),
        )
        .to_owned();
    let shown_by_signoffs = Query::select()
        .column(slot_signoff::Column::SignatureSha256)
        .from(slot_signoff::Entity)
        .and_where(slot_signoff::Column::SessionId.is_not_in(ids()))
        .to_owned();
    let unshown = Condition::all()
        .add(signature::Column::UploadedAt.lt(before))
        .add(signature::Column::Sha256.not_in_subquery(shown_by_marks))
        .add(signature::Column::Sha256.not_in_subquery(shown_by_signoffs));
    purged.signatures = count_or_delete::<signature::Entity>(tx.conn(), unshown, dry_run).await?;
    Ok(purged)
}
