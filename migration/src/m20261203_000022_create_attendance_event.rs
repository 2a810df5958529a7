//! The attendance history: every change of a mark, every countersignature, reopening, closing
//! (who, when, from what to what, why). Rows are only ever added. Not synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttendanceEvent::Table)
                    .if_not_exists()
                    .col(pk_uuid(AttendanceEvent::Id))
                    .col(uuid(AttendanceEvent::ContextId))
                    .col(string_len(AttendanceEvent::Subject, 16))
                    .col(uuid(AttendanceEvent::SubjectId))
                    .col(string_len(AttendanceEvent::Action, 32))
                    .col(uuid(AttendanceEvent::By))
                    .col(timestamp_with_time_zone(AttendanceEvent::At))
                    .col(text_null(AttendanceEvent::Before))
                    .col(text_null(AttendanceEvent::After))
                    .col(text_null(AttendanceEvent::Reason))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX attendance_event_by_subject ON attendance_event (subject_id, id)",
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX attendance_event_by_context ON attendance_event (context_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttendanceEvent::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AttendanceEvent {
    Table,
    Id,
    ContextId,
    Subject,
    SubjectId,
    Action,
    By,
    At,
    Before,
    After,
    Reason,
}
