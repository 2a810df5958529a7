//! Offline sync: devices, the per-device mutation log (idempotency store, audit and quarantine),
//! conflicts (synced, guarded), GC checkpoints, the cursor key of the space, and what a mark
//! needs for conflict resolution (the device's clock and sequence number).

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
                    .table(SyncDevice::Table)
                    .if_not_exists()
                    .col(pk_uuid(SyncDevice::Id))
                    .col(uuid(SyncDevice::PersonId))
                    .col(string_len(SyncDevice::Name, 100))
                    .col(string_len(SyncDevice::Platform, 40))
                    .col(big_integer(SyncDevice::LastSeq).default(0))
                    .col(timestamp_with_time_zone(SyncDevice::CreatedAt))
                    .col(timestamp_with_time_zone_null(SyncDevice::LastSeenAt))
                    .col(big_integer_null(SyncDevice::ClockOffsetMs))
                    .col(timestamp_with_time_zone_null(SyncDevice::ClockSkewAt))
                    .col(timestamp_with_time_zone_null(SyncDevice::RevokedAt))
                    .col(uuid_null(SyncDevice::RevokedBy))
                    .col(text_null(SyncDevice::RevokedReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("sync_device_person_fk")
                            .from(SyncDevice::Table, SyncDevice::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SyncMutation::Table)
                    .if_not_exists()
                    .col(uuid(SyncMutation::DeviceId))
                    .col(big_integer(SyncMutation::Seq))
                    .col(uuid_uniq(SyncMutation::MutationId))
                    .col(string_len(SyncMutation::Name, 64))
                    .col(text(SyncMutation::Args))
                    .col(string_len(SyncMutation::Status, 16))
                    .col(text(SyncMutation::Result))
                    .col(big_integer_null(SyncMutation::Hlc))
                    .col(timestamp_with_time_zone(SyncMutation::ReceivedAt))
                    .col(timestamp_with_time_zone_null(SyncMutation::DecidedAt))
                    .col(uuid_null(SyncMutation::DecidedBy))
                    .col(text_null(SyncMutation::DecisionReason))
                    .primary_key(
                        Index::create()
                            .col(SyncMutation::DeviceId)
                            .col(SyncMutation::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("sync_mutation_device_fk")
                            .from(SyncMutation::Table, SyncMutation::DeviceId)
                            .to(SyncDevice::Table, SyncDevice::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SyncConflict::Table)
                    .if_not_exists()
                    .col(pk_uuid(SyncConflict::Id))
                    .col(string_len(SyncConflict::ContextKind, 16))
                    .col(uuid(SyncConflict::ContextId))
                    .col(string_len(SyncConflict::EntityType, 40))
                    .col(uuid(SyncConflict::EntityId))
                    .col(string_len(SyncConflict::Rule, 32))
                    .col(string_len(SyncConflict::Resolution, 16))
                    .col(text(SyncConflict::Winner))
                    .col(text(SyncConflict::Loser))
                    .col(uuid(SyncConflict::WinnerBy))
                    .col(uuid(SyncConflict::LoserBy))
                    .col(uuid_null(SyncConflict::LoserDeviceId))
                    .col(uuid_null(SyncConflict::LoserMutationId))
                    .col(string_len(SyncConflict::Status, 16))
                    .col(timestamp_with_time_zone(SyncConflict::CreatedAt))
                    .col(uuid_null(SyncConflict::ResolvedBy))
                    .col(timestamp_with_time_zone_null(SyncConflict::ResolvedAt))
                    .col(big_integer(SyncConflict::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SyncCheckpoint::Table)
                    .if_not_exists()
                    .col(big_integer(SyncCheckpoint::Version).primary_key())
                    .col(timestamp_with_time_zone(SyncCheckpoint::At))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SyncSpace::Table)
                    .add_column(string_len(SyncSpace::CursorKey, 64).default(""))
                    .to_owned(),
            )
            .await?;
        for column in [AttendanceMark::Hlc, AttendanceMark::DeviceSeq] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AttendanceMark::Table)
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX sync_device_by_person ON sync_device (person_id)",
            "CREATE INDEX sync_mutation_by_status ON sync_mutation (status, received_at)",
            "CREATE INDEX sync_conflict_by_entity ON sync_conflict (entity_type, entity_id)",
            "CREATE INDEX sync_conflict_by_status ON sync_conflict (status, created_at)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        sync_guard::install(manager, "sync_conflict").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "sync_conflict").await?;
        for column in [AttendanceMark::Hlc, AttendanceMark::DeviceSeq] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AttendanceMark::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(SyncSpace::Table)
                    .drop_column(SyncSpace::CursorKey)
                    .to_owned(),
            )
            .await?;
        for table in [
            SyncCheckpoint::Table.into_iden(),
            SyncConflict::Table.into_iden(),
            SyncMutation::Table.into_iden(),
            SyncDevice::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SyncDevice {
    Table,
    Id,
    PersonId,
    Name,
    Platform,
    LastSeq,
    CreatedAt,
    LastSeenAt,
    ClockOffsetMs,
    ClockSkewAt,
    RevokedAt,
    RevokedBy,
    RevokedReason,
}

#[derive(DeriveIden)]
enum SyncMutation {
    Table,
    DeviceId,
    Seq,
    MutationId,
    Name,
    Args,
    Status,
    Result,
    Hlc,
    ReceivedAt,
    DecidedAt,
    DecidedBy,
    DecisionReason,
}

#[derive(DeriveIden)]
enum SyncConflict {
    Table,
    Id,
    ContextKind,
    ContextId,
    EntityType,
    EntityId,
    Rule,
    Resolution,
    Winner,
    Loser,
    WinnerBy,
    LoserBy,
    LoserDeviceId,
    LoserMutationId,
    Status,
    CreatedAt,
    ResolvedBy,
    ResolvedAt,
    Version,
}

#[derive(DeriveIden)]
enum SyncCheckpoint {
    Table,
    Version,
    At,
}

#[derive(DeriveIden)]
enum SyncSpace {
    Table,
    CursorKey,
}

#[derive(DeriveIden)]
enum AttendanceMark {
    Table,
    Hlc,
    DeviceSeq,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
