//! The audit log of administrators' writes: who, which operation, when, the object before and
//! after. Written by the HTTP layer once the write answered 2xx; never updated by the API.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntry::Table)
                    .col(uuid(AuditEntry::Id).primary_key())
                    .col(timestamp_with_time_zone(AuditEntry::At))
                    .col(uuid(AuditEntry::ActorId))
                    .col(string(AuditEntry::Operation))
                    .col(string(AuditEntry::Method))
                    .col(text(AuditEntry::Path))
                    .col(integer(AuditEntry::Status))
                    .col(text_null(AuditEntry::Request))
                    .col(text_null(AuditEntry::Before))
                    .col(text_null(AuditEntry::After))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_entry_actor")
                    .table(AuditEntry::Table)
                    .col(AuditEntry::ActorId)
                    .col(AuditEntry::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntry::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEntry {
    Table,
    Id,
    At,
    ActorId,
    Operation,
    Method,
    Path,
    Status,
    Request,
    Before,
    After,
}
