//! An assessment's results against each objective of the programme, as a JSON list of
//! `{objective, wording, result, comment}` beside the overall result; assessments recorded
//! before have none (`[]`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Assessment::Table)
                    .add_column(text(Assessment::Objectives).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Assessment::Table)
                    .drop_column(Assessment::Objectives)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Assessment {
    Table,
    Objectives,
}
