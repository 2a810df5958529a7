//! Personal calendar tokens: one per person, only its SHA-256 stored; rotating replaces it, so
//! the old feed URL stops at once. Not synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarToken::Table)
                    .if_not_exists()
                    .col(pk_uuid(CalendarToken::PersonId))
                    .col(string_len(CalendarToken::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(CalendarToken::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("calendar_token_person_fk")
                            .from(CalendarToken::Table, CalendarToken::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CalendarToken {
    Table,
    PersonId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
