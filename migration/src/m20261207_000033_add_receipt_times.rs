//! Server-witnessed times: beside the signing time a client declares, a mark and a
//! countersignature keep when the server received them, and for a device's write the device's
//! clock when it recorded it and its clock offset at the push. Rows written before keep their
//! last write's time (a mark) or their signing time (a countersignature, always signed online).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        let columns = [
            (
                AttendanceMark::Table.into_iden(),
                timestamp_with_time_zone_null(AttendanceMark::ReceivedAt),
            ),
            (
                AttendanceMark::Table.into_iden(),
                timestamp_with_time_zone_null(AttendanceMark::DeviceRecordedAt),
            ),
            (
                AttendanceMark::Table.into_iden(),
                big_integer_null(AttendanceMark::ClockOffsetMs),
            ),
            (
                SlotSignoff::Table.into_iden(),
                timestamp_with_time_zone_null(SlotSignoff::ReceivedAt),
            ),
            (
                SlotSignoff::Table.into_iden(),
                timestamp_with_time_zone_null(SlotSignoff::DeviceRecordedAt),
            ),
            (
                SlotSignoff::Table.into_iden(),
                big_integer_null(SlotSignoff::ClockOffsetMs),
            ),
        ];
        for (table, mut column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(AttendanceMark::Table)
                    .value(
                        AttendanceMark::ReceivedAt,
                        Expr::col(AttendanceMark::UpdatedAt),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(SlotSignoff::Table)
                    .value(SlotSignoff::ReceivedAt, Expr::col(SlotSignoff::SignedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            (
                AttendanceMark::Table.into_iden(),
                AttendanceMark::ReceivedAt.into_iden(),
            ),
            (
                AttendanceMark::Table.into_iden(),
                AttendanceMark::DeviceRecordedAt.into_iden(),
            ),
            (
                AttendanceMark::Table.into_iden(),
                AttendanceMark::ClockOffsetMs.into_iden(),
            ),
            (
                SlotSignoff::Table.into_iden(),
                SlotSignoff::ReceivedAt.into_iden(),
            ),
            (
                SlotSignoff::Table.into_iden(),
                SlotSignoff::DeviceRecordedAt.into_iden(),
            ),
            (
                SlotSignoff::Table.into_iden(),
                SlotSignoff::ClockOffsetMs.into_iden(),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AttendanceMark {
    Table,
    UpdatedAt,
    ReceivedAt,
    DeviceRecordedAt,
    ClockOffsetMs,
}

#[derive(DeriveIden)]
enum SlotSignoff {
    Table,
    SignedAt,
    ReceivedAt,
    DeviceRecordedAt,
    ClockOffsetMs,
}
