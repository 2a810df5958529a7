//! A personal calendar token is kept as well as its SHA-256, so that its owner can read their
//! feed's URL again (a second device) without rotating it. Null for a token made before: reading
//! the URL then makes a new one, once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CalendarToken::Table)
                    .add_column(string_len_null(CalendarToken::Token, 80))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CalendarToken::Table)
                    .drop_column(CalendarToken::Token)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CalendarToken {
    Table,
    Token,
}
