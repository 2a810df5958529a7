//! Signature images (PNG), stored once per content hash: a mark or a countersignature refers to
//! its image by SHA-256. Not synced (devices upload them; the documents read them).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Signature::Table)
                    .if_not_exists()
                    .col(string_len(Signature::Sha256, 64).primary_key())
                    .col(blob(Signature::Png))
                    .col(integer(Signature::Width))
                    .col(integer(Signature::Height))
                    .col(uuid(Signature::UploadedBy))
                    .col(timestamp_with_time_zone(Signature::UploadedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Signature::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Signature {
    Table,
    Sha256,
    Png,
    Width,
    Height,
    UploadedBy,
    UploadedAt,
}
