//! A person's rows in the quality registers, for the personal-data export and erasure.

use entity::{complaint, survey_invitation as invitation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::complaints::ComplaintRow;
use super::surveys::InvitationRow;
use crate::db::write::WriteTx;

/// Every survey invitation of a person, by id.
pub async fn invitation_rows_of_person(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<InvitationRow>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::PersonId.eq(person_id))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await
}

/// Every complaint a person filed with their account, in order of receipt.
pub async fn complaints_filed_by(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<ComplaintRow>, DbErr> {
    complaint::Entity::find()
        .filter(complaint::Column::FiledBy.eq(person_id))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await
}

/// A submitted survey stays, anonymous, for the results; an unsubmitted one goes (the devices
/// that saw either get a tombstone). Answers how many of each.
pub async fn detach_invitations(
    tx: &mut WriteTx,
    person_id: Uuid,
) -> Result<(usize, usize), DbErr> {
    let rows = invitation_rows_of_person(tx.conn(), person_id).await?;
    let (mut kept, mut removed) = (0, 0);
    for row in rows {
        if row.submitted_at.is_some() {
            let mut active = row.clone().into_active_model();
            active.person_id = Set(None);
            active.updated_at = Set(tx.now());
            tx.update::<invitation::Entity, _>(&row, active).await?;
            kept += 1;
        } else {
            tx.delete::<invitation::Entity>(row).await?;
            removed += 1;
        }
    }
    Ok((kept, removed))
}

/// The complaints a person filed stay in the register (ind. 31) without their account and
/// with `contact` in place of how to reach them.
pub async fn detach_complaints(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    contact: &str,
) -> Result<u64, DbErr> {
    Ok(complaint::Entity::update_many()
        .col_expr(
            complaint::Column::FiledBy,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(complaint::Column::Contact, Expr::value(contact))
        .filter(complaint::Column::FiledBy.eq(person_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Complaints closed before `before` (counted when `dry_run`, else deleted).
pub async fn purge_complaints(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<u64, DbErr> {
    let condition = sea_orm::Condition::all().add(complaint::Column::ClosedAt.lt(before));
    crate::db::query::count_or_delete::<complaint::Entity>(db, condition, dry_run).await
}
