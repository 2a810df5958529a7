//! Rooms and places (synced, guarded).

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
                    .table(Room::Table)
                    .if_not_exists()
                    .col(pk_uuid(Room::Id))
                    .col(string(Room::Name))
                    .col(boolean(Room::IsOnline))
                    .col(string_null(Room::Address))
                    .col(string_null(Room::City))
                    .col(string_null(Room::CityKey))
                    .col(string_len_null(Room::Country, 2))
                    .col(string_null(Room::JoinUrl))
                    .col(integer_null(Room::Capacity))
                    .col(text(Room::Accessibility))
                    .col(timestamp_with_time_zone(Room::CreatedAt))
                    .col(timestamp_with_time_zone(Room::UpdatedAt))
                    .col(big_integer(Room::Version))
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "room").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "room").await?;
        manager
            .drop_table(Table::drop().table(Room::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Room {
    Table,
    Id,
    Name,
    IsOnline,
    Address,
    City,
    CityKey,
    Country,
    JoinUrl,
    Capacity,
    Accessibility,
    CreatedAt,
    UpdatedAt,
    Version,
}
