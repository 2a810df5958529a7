//! Half-day slots (synced, guarded).

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
                    .table(Slot::Table)
                    .if_not_exists()
                    .col(pk_uuid(Slot::Id))
                    .col(uuid(Slot::SessionId))
                    .col(date(Slot::LocalDate))
                    .col(string_len(Slot::Period, 16))
                    .col(string_len(Slot::LocalStart, 5))
                    .col(string_len(Slot::LocalEnd, 5))
                    .col(timestamp_with_time_zone(Slot::StartsAt))
                    .col(timestamp_with_time_zone(Slot::EndsAt))
                    .col(integer(Slot::Minutes))
                    .col(big_integer(Slot::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("slot_session_fk")
                            .from(Slot::Table, Slot::SessionId)
                            .to(TrainingSession::Table, TrainingSession::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("slot_half_day")
                    .table(Slot::Table)
                    .col(Slot::SessionId)
                    .col(Slot::LocalDate)
                    .col(Slot::Period)
                    .unique()
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "slot").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "slot").await?;
        manager
            .drop_table(Table::drop().table(Slot::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Slot {
    Table,
    Id,
    SessionId,
    LocalDate,
    Period,
    LocalStart,
    LocalEnd,
    StartsAt,
    EndsAt,
    Minutes,
    Version,
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
}
