//! Bearer tokens, stored as SHA-256 hashes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuthToken::Table)
                    .if_not_exists()
                    .col(pk_uuid(AuthToken::Id))
                    .col(uuid(AuthToken::PersonId))
                    .col(string_len_uniq(AuthToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(AuthToken::CreatedAt))
                    .col(timestamp_with_time_zone(AuthToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AuthToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("auth_token_person_fk")
                            .from(AuthToken::Table, AuthToken::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("auth_token_by_person")
                    .table(AuthToken::Table)
                    .col(AuthToken::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuthToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuthToken {
    Table,
    Id,
    PersonId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
