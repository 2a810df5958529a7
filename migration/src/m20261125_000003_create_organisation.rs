//! Organisations (synced, guarded).

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
                    .table(Organisation::Table)
                    .if_not_exists()
                    .col(pk_uuid(Organisation::Id))
                    .col(string(Organisation::Name))
                    .col(boolean(Organisation::IsMember))
                    .col(string_len(Organisation::Country, 2))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .col(timestamp_with_time_zone(Organisation::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Organisation::DeactivatedAt))
                    .col(big_integer(Organisation::Version))
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "organisation").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "organisation").await?;
        manager
            .drop_table(Table::drop().table(Organisation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    IsMember,
    Country,
    CreatedAt,
    UpdatedAt,
    DeactivatedAt,
    Version,
}
