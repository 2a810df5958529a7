//! The per-space version counter (see docs: sync cursor).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SyncSpace::Table)
                    .if_not_exists()
                    .col(pk_uuid(SyncSpace::SpaceId))
                    .col(uuid(SyncSpace::Epoch))
                    .col(big_integer(SyncSpace::Version).default(0))
                    .col(big_integer(SyncSpace::GcVersion).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SyncSpace::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SyncSpace {
    Table,
    SpaceId,
    Epoch,
    Version,
    GcVersion,
}
