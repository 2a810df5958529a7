//! Sessions (synced, guarded).

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
                    .table(TrainingSession::Table)
                    .if_not_exists()
                    .col(pk_uuid(TrainingSession::Id))
                    .col(uuid(TrainingSession::TrainingId))
                    .col(uuid(TrainingSession::RoomId))
                    .col(string_len(TrainingSession::TimeZone, 64))
                    .col(integer(TrainingSession::Capacity))
                    .col(integer(TrainingSession::SeatsTaken).default(0))
                    .col(timestamp_with_time_zone_null(
                        TrainingSession::EnrolmentDeadline,
                    ))
                    .col(string_len(TrainingSession::Status, 16))
                    .col(text_null(TrainingSession::CancelReason))
                    .col(boolean(TrainingSession::Listed).default(false))
                    .col(boolean(TrainingSession::QualiopiScope))
                    .col(boolean(TrainingSession::BpfScope))
                    .col(text_null(TrainingSession::DurationNote))
                    .col(timestamp_with_time_zone_null(TrainingSession::StartsAt))
                    .col(timestamp_with_time_zone_null(TrainingSession::EndsAt))
                    .col(integer(TrainingSession::PlannedMinutes).default(0))
                    .col(timestamp_with_time_zone(TrainingSession::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingSession::UpdatedAt))
                    .col(big_integer(TrainingSession::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("training_session_training_fk")
                            .from(TrainingSession::Table, TrainingSession::TrainingId)
                            .to(Training::Table, Training::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("training_session_room_fk")
                            .from(TrainingSession::Table, TrainingSession::RoomId)
                            .to(Room::Table, Room::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("training_session_by_training")
                    .table(TrainingSession::Table)
                    .col(TrainingSession::TrainingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("training_session_listed")
                    .table(TrainingSession::Table)
                    .col(TrainingSession::Listed)
                    .col(TrainingSession::Id)
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "training_session").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "training_session").await?;
        manager
            .drop_table(Table::drop().table(TrainingSession::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
    TrainingId,
    RoomId,
    TimeZone,
    Capacity,
    SeatsTaken,
    EnrolmentDeadline,
    Status,
    CancelReason,
    Listed,
    QualiopiScope,
    BpfScope,
    DurationNote,
    StartsAt,
    EndsAt,
    PlannedMinutes,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Training {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Room {
    Table,
    Id,
}
