//! The change index pulled by devices: one row per (scope, entity).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SyncChange::Table)
                    .if_not_exists()
                    .col(uuid(SyncChange::SpaceId))
                    .col(string(SyncChange::ScopeKey))
                    .col(string(SyncChange::EntityType))
                    .col(uuid(SyncChange::EntityId))
                    .col(big_integer(SyncChange::Version))
                    .col(boolean(SyncChange::Deleted))
                    .primary_key(
                        Index::create()
                            .col(SyncChange::ScopeKey)
                            .col(SyncChange::EntityType)
                            .col(SyncChange::EntityId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sync_change_by_version")
                    .table(SyncChange::Table)
                    .col(SyncChange::ScopeKey)
                    .col(SyncChange::Version)
                    .col(SyncChange::EntityType)
                    .col(SyncChange::EntityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SyncChange::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SyncChange {
    Table,
    SpaceId,
    ScopeKey,
    EntityType,
    EntityId,
    Version,
    Deleted,
}
