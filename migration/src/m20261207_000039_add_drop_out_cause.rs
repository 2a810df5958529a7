//! A drop-out's cause from a closed list (personal, professional, health, content unsuited,
//! other), beside its note; drop-outs recorded before with a note only become `other`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AbsenceFollowup::Table)
                    .add_column(string_null(AbsenceFollowup::DropOutCause))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(AbsenceFollowup::Table)
                    .value(AbsenceFollowup::DropOutCause, "other")
                    .and_where(Expr::col(AbsenceFollowup::DropOutReason).is_not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AbsenceFollowup::Table)
                    .drop_column(AbsenceFollowup::DropOutCause)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AbsenceFollowup {
    Table,
    DropOutCause,
    DropOutReason,
}
