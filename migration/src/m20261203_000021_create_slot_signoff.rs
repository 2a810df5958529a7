//! A trainer's countersignature of a half-day (synced, guarded): one row per slot (its id is the
//! slot's). While `reopened_at` is null the slot's marks are frozen.

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
                    .table(SlotSignoff::Table)
                    .if_not_exists()
                    .col(pk_uuid(SlotSignoff::Id))
                    .col(uuid(SlotSignoff::SessionId))
                    .col(uuid(SlotSignoff::TrainerId))
                    .col(string_len(SlotSignoff::SignatureSha256, 64))
                    .col(timestamp_with_time_zone(SlotSignoff::SignedAt))
                    .col(timestamp_with_time_zone_null(SlotSignoff::ReopenedAt))
                    .col(uuid_null(SlotSignoff::ReopenedBy))
                    .col(text_null(SlotSignoff::ReopenReason))
                    .col(big_integer(SlotSignoff::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("slot_signoff_slot_fk")
                            .from(SlotSignoff::Table, SlotSignoff::Id)
                            .to(Slot::Table, Slot::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("slot_signoff_signature_fk")
                            .from(SlotSignoff::Table, SlotSignoff::SignatureSha256)
                            .to(Signature::Table, Signature::Sha256),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX slot_signoff_by_session ON slot_signoff (session_id)")
            .await?;
        sync_guard::install(manager, "slot_signoff").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "slot_signoff").await?;
        manager
            .drop_table(Table::drop().table(SlotSignoff::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SlotSignoff {
    Table,
    Id,
    SessionId,
    TrainerId,
    SignatureSha256,
    SignedAt,
    ReopenedAt,
    ReopenedBy,
    ReopenReason,
    Version,
}

#[derive(DeriveIden)]
enum Slot {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Signature {
    Table,
    Sha256,
}
