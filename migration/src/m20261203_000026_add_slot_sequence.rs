//! A half-day's revision for calendars (iCalendar SEQUENCE): raised each time its time, its place
//! or its session's status changes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Slot::Table)
                    .add_column(integer(Slot::Sequence).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Slot::Table)
                    .drop_column(Slot::Sequence)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Slot {
    Table,
    Sequence,
}
