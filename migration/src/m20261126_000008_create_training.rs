//! Trainings (synced, guarded).

use sea_orm_migration::{prelude::*, schema::*};

use crate::sync_guard;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Training::Table)
                    .if_not_exists()
                    .col(pk_uuid(Training::Id))
                    .col(string_len(Training::Status, 16))
                    .col(string(Training::Title))
                    .col(string(Training::Themes))
                    .col(text(Training::Programme))
                    .col(integer(Training::CurrentVersion))
                    .col(timestamp_with_time_zone(Training::CreatedAt))
                    .col(timestamp_with_time_zone(Training::UpdatedAt))
                    .col(big_integer(Training::Version))
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "training").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "training").await?;
        manager
            .drop_table(Table::drop().table(Training::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Training {
    Table,
    Id,
    Status,
    Title,
    Themes,
    Programme,
    CurrentVersion,
    CreatedAt,
    UpdatedAt,
    Version,
}
