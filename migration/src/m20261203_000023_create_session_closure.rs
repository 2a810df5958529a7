//! A session's closing: who closed it, when, the checks' flags at that moment and the
//! justification that overrode them. A reopening keeps the row (with its reason) until the next
//! closing replaces it; the history keeps both. Not synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SessionClosure::Table)
                    .if_not_exists()
                    .col(pk_uuid(SessionClosure::SessionId))
                    .col(uuid(SessionClosure::ClosedBy))
                    .col(timestamp_with_time_zone(SessionClosure::ClosedAt))
                    .col(text_null(SessionClosure::Justification))
                    .col(text(SessionClosure::Flags))
                    .col(timestamp_with_time_zone_null(SessionClosure::ReopenedAt))
                    .col(uuid_null(SessionClosure::ReopenedBy))
                    .col(text_null(SessionClosure::ReopenReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("session_closure_session_fk")
                            .from(SessionClosure::Table, SessionClosure::SessionId)
                            .to(TrainingSession::Table, TrainingSession::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SessionClosure::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SessionClosure {
    Table,
    SessionId,
    ClosedBy,
    ClosedAt,
    Justification,
    Flags,
    ReopenedAt,
    ReopenedBy,
    ReopenReason,
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
}
